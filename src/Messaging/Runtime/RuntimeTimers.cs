using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Runtime;

/// <summary>
/// The Totem timers on a <see cref="TimeProvider"/>: one <see cref="ITimer"/> per
/// <see cref="TotemTimer"/>, re-armed in place. A timer callback only posts "timer X may be due"
/// to the protocol loop; the loop decides with its own clock, so a callback from an earlier
/// arming that raced with a re-arm or a cancel can never fire the timer early.
/// </summary>
internal sealed class RuntimeTimers : IDisposable
{
    private readonly Entry[] _entries;

    public RuntimeTimers(TimeProvider time, Action<TotemTimer> onCallback)
    {
        var kinds = Enum.GetValues<TotemTimer>();
        _entries = new Entry[kinds.Max(k => (int)k) + 1];
        foreach (var kind in kinds)
        {
            _entries[(int)kind] = new Entry(time.CreateTimer(
                static state => ((Action)state!)(), (Action)(() => onCallback(kind)),
                Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        }
    }

    public void Arm(TotemTimer timer, TimeSpan after, TimeSpan now)
    {
        var entry = _entries[(int)timer];
        if (after < TimeSpan.Zero) after = TimeSpan.Zero;
        entry.Armed = true;
        entry.Due = now + after;
        entry.Timer.Change(after, Timeout.InfiniteTimeSpan);
    }

    public void Cancel(TotemTimer timer)
    {
        var entry = _entries[(int)timer];
        entry.Armed = false;
        entry.Timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>On the loop, after a callback: true (and disarmed) if the timer is armed and due at <paramref name="now"/>.</summary>
    public bool TryFire(TotemTimer timer, TimeSpan now)
    {
        var entry = _entries[(int)timer];
        if (!entry.Armed) return false;
        if (now < entry.Due)
        {
            // A stale callback or an early wake-up: make sure the real expiry still comes.
            entry.Timer.Change(entry.Due - now, Timeout.InfiniteTimeSpan);
            return false;
        }
        entry.Armed = false;
        return true;
    }

    public bool IsArmed(TotemTimer timer) => _entries[(int)timer].Armed;

    public void Dispose()
    {
        foreach (var entry in _entries) entry?.Timer.Dispose();
    }

    private sealed class Entry(ITimer timer)
    {
        public ITimer Timer { get; } = timer;
        public bool Armed { get; set; }
        public TimeSpan Due { get; set; }
    }
}
