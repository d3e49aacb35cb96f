using System.Text;

namespace Cluster.Crm.CibClient;

/// <summary>
/// Replaces a file so that a crash leaves either the old or the new content, never a mix:
/// write a temp file beside it, fsync it, rename it over the target, fsync the directory.
/// </summary>
public static class AtomicFile
{
    public static void Write(string path, string content) => Write(path, Encoding.UTF8.GetBytes(content));

    public static void Write(string path, byte[] content)
    {
        var full = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(full) ?? ".";
        var temp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(full)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                fs.Write(content);
                fs.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { }
            throw;
        }
        SyncDirectory(dir);
    }

    /// <summary>Makes a rename durable: fsync of the directory that holds the entry.</summary>
    public static void SyncDirectory(string dir)
    {
        try
        {
            using var handle = File.OpenHandle(dir, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.None);
            RandomAccess.FlushToDisk(handle);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Some filesystems refuse to open or sync a directory; the rename itself is still atomic.
        }
    }
}
