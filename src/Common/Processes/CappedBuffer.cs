using System.Text;

namespace Cluster.Common.Processes;

/// <summary>
/// Reads a pipe to its end, keeping at most a fixed number of bytes; the rest is read and
/// dropped so the writer never blocks on a full pipe.
/// </summary>
internal sealed class CappedBuffer(int limit)
{
    private readonly object _gate = new();
    private readonly MemoryStream _kept = new();
    private bool _truncated;

    public bool Truncated
    {
        get { lock (_gate) return _truncated; }
    }

    public async Task PumpAsync(Stream source)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await source.ReadAsync(buffer).ConfigureAwait(false);
            }
            catch (Exception e) when (e is ObjectDisposedException or IOException)
            {
                return; // the runner gave up waiting for a daemon that kept the pipe open and closed it
            }
            if (read == 0)
                return;
            lock (_gate)
            {
                var room = (int)Math.Max(0, limit - _kept.Length);
                if (room < read)
                    _truncated = true;
                _kept.Write(buffer, 0, Math.Min(room, read));
            }
        }
    }

    /// <summary>What was kept so far, decoded as UTF-8 (invalid bytes replaced).</summary>
    public string Snapshot()
    {
        lock (_gate) return Encoding.UTF8.GetString(_kept.GetBuffer(), 0, (int)_kept.Length);
    }
}
