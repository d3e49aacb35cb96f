using System.Runtime.InteropServices;

namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>
/// The libc calls libqb's shared-memory protocol needs and .NET has no API for: glibc's
/// process-shared POSIX semaphores (they live inside the mapped ring header, so both processes
/// must use the same implementation) and chown (the client, often `hacluster`, must open the
/// files we create). Declared for source-generated marshalling (native-AOT safe).
/// </summary>
internal static partial class QbNative
{
    public const int Eagain = 11;

    [LibraryImport("libc", EntryPoint = "sem_init", SetLastError = true)]
    public static partial int SemInit(nint sem, int pshared, uint value);

    [LibraryImport("libc", EntryPoint = "sem_post", SetLastError = true)]
    public static partial int SemPost(nint sem);

    [LibraryImport("libc", EntryPoint = "sem_trywait", SetLastError = true)]
    public static partial int SemTryWait(nint sem);

    [LibraryImport("libc", EntryPoint = "sem_getvalue", SetLastError = true)]
    public static partial int SemGetValue(nint sem, out int value);

    [LibraryImport("libc", EntryPoint = "sem_destroy", SetLastError = true)]
    public static partial int SemDestroy(nint sem);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chown(string path, uint uid, uint gid);
}
