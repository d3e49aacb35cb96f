using System.Xml.Linq;

namespace Cluster.Crm.Daemon;

/// <summary>
/// Writes the CIB to disk off the loop, latest version only: a burst of changes costs one write
/// (with its fsyncs) per write time, not one per change, and clients are never made to wait for
/// the disk (an answered change is already on every member; Pacemaker writes asynchronously too).
/// Disposal writes what is still pending.
/// </summary>
public sealed class CibWriter : IAsyncDisposable
{
    private readonly Action<XElement> _write;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly Task _task;
    private XElement? _latest;
    private volatile bool _stopping;

    /// <param name="write">Writes one CIB; must not throw (log instead).</param>
    public CibWriter(Action<XElement> write)
    {
        _write = write;
        _task = Task.Run(RunAsync);
    }

    /// <summary>Queues <paramref name="cib"/> (never modified afterwards) replacing any not yet written.</summary>
    public void Submit(XElement cib)
    {
        lock (_gate) _latest = cib;
        _signal.Release();
    }

    private async Task RunAsync()
    {
        while (true)
        {
            await _signal.WaitAsync().ConfigureAwait(false);
            while (true)
            {
                XElement? next;
                lock (_gate)
                {
                    next = _latest;
                    _latest = null;
                }
                if (next is null) break;
                _write(next);
            }
            if (_stopping) return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        _signal.Release();
        await _task.ConfigureAwait(false);
        _signal.Dispose();
    }
}
