using System.IO.MemoryMappedFiles;

namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>
/// A file under /dev/shm that we create (exclusively, mode 0600, owned by the client so it can
/// open it), size and map shared; removed again on dispose. Sparse: pages cost memory only once
/// touched, so idle connections stay cheap.
/// </summary>
public sealed unsafe class QbMappedFile : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private bool _disposed;

    public QbMappedFile(string path, int size, uint ownerUid, uint ownerGid)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("libqb shared memory needs a POSIX system");
        Path = path;
        Size = size;
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        var stream = new FileStream(path, options);
        try
        {
            stream.SetLength(size);
            _ = QbNative.Chown(path, ownerUid, ownerGid); // best effort, as libqb: a root client does not need it
            _map = MemoryMappedFile.CreateFromFile(stream, null, size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
            _view = _map.CreateViewAccessor(0, size, MemoryMappedFileAccess.ReadWrite);
        }
        catch
        {
            _map?.Dispose();
            stream.Dispose();
            File.Delete(path);
            throw;
        }
        // The mapping outlives the descriptor: closing it keeps a connection at one descriptor (its socket) in SHM mode.
        stream.Dispose();
        byte* p = null;
        _view.SafeMemoryMappedViewHandle.AcquirePointer(ref p);
        Pointer = p + _view.PointerOffset;
    }

    public string Path { get; }

    public int Size { get; }

    public byte* Pointer { get; }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
