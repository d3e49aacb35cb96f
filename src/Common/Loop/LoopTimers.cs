namespace Cluster.Common.Loop;

/// <summary>
/// Named one-shot timers on a <see cref="TimeProvider"/>, for a loop (generalised from the
/// Totem runtime's timers). A callback only posts "timer K may be due"; the loop then asks
/// <see cref="TryFire"/>, which decides with the loop's own clock and the current arming, so a
/// callback from an earlier arming that raced with a re-arm or a cancel can never fire it.
/// All methods but the callbacks run on the loop. The Totem runtime, the corosync daemon and
/// pacemakerd all use this one mechanism.
/// </summary>
public sealed class LoopTimers<TKey> : IDisposable where TKey : notnull
{
    private readonly TimeProvider _time;
    private readonly Action<TKey> _onCallback;
    private readonly Dictionary<TKey, Entry> _entries = [];
    private bool _disposed;

    public LoopTimers(TimeProvider time, Action<TKey> onCallback)
    {
        _time = time;
        _onCallback = onCallback;
    }

    public TimeSpan Now => _time.GetElapsedTime(0);

    public void Arm(TKey key, TimeSpan after)
    {
        if (_disposed) return; // the shell is shutting down; nothing may fire any more
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = new Entry(_time.CreateTimer(static s => ((Action)s!)(), (Action)(() => _onCallback(key)),
                Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
            _entries[key] = entry;
        }
        if (after < TimeSpan.Zero) after = TimeSpan.Zero;
        entry.Armed = true;
        entry.Due = Now + after;
        entry.Timer.Change(after, Timeout.InfiniteTimeSpan);
    }

    public void Cancel(TKey key)
    {
        if (!_entries.TryGetValue(key, out var entry)) return;
        entry.Armed = false;
        entry.Timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>True (and disarmed) if <paramref name="key"/> is armed and due now; a stale or early callback gives false.</summary>
    public bool TryFire(TKey key)
    {
        if (!_entries.TryGetValue(key, out var entry) || !entry.Armed) return false;
        var now = Now;
        if (now < entry.Due)
        {
            // An early wake-up: make sure the real expiry still comes.
            entry.Timer.Change(entry.Due - now, Timeout.InfiniteTimeSpan);
            return false;
        }
        entry.Armed = false;
        return true;
    }

    public bool IsArmed(TKey key) => _entries.TryGetValue(key, out var e) && e.Armed;

    public void Dispose()
    {
        _disposed = true;
        foreach (var e in _entries.Values) e.Timer.Dispose();
        _entries.Clear();
    }

    private sealed class Entry(ITimer timer)
    {
        public ITimer Timer { get; } = timer;
        public bool Armed { get; set; }
        public TimeSpan Due { get; set; }
    }
}
