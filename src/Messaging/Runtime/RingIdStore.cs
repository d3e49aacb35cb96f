using System.Runtime.InteropServices;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Runtime;

/// <summary>
/// The per-node ring sequence file corosync keeps: <c>/var/lib/corosync/ringid_NODEID</c>
/// (under HA_ROOT), 8 bytes, a native-endian u64, mode 0600. A restarted node reads it so it
/// never reuses a ring id. Written to a temporary file, flushed to disk and renamed, so a crash
/// leaves the old or the new value, never a torn one.
/// </summary>
public sealed class RingIdStore
{
    public RingIdStore(string directory, NodeId node)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory = directory;
        FilePath = Path.Combine(directory, "ringid_" + node.ToString());
    }

    public string Directory { get; }

    public string FilePath { get; }

    /// <summary>The stored sequence, or 0 when the file does not exist yet.</summary>
    public ulong Load()
    {
        if (!File.Exists(FilePath)) return 0;
        var bytes = File.ReadAllBytes(FilePath);
        if (bytes.Length != sizeof(ulong))
            throw new InvalidDataException($"{FilePath}: ring id file holds {bytes.Length} bytes, expected {sizeof(ulong)}");
        return MemoryMarshal.Read<ulong>(bytes);
    }

    public void Save(ulong sequence)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temporary = FilePath + ".tmp";
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.None,
        };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temporary, options))
        {
            Span<byte> bytes = stackalloc byte[sizeof(ulong)];
            MemoryMarshal.Write(bytes, in sequence);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temporary, FilePath, overwrite: true);
    }
}
