using System.Threading.Channels;

namespace Cluster.Common.Loop;

/// <summary>
/// The one loop shell every daemon runs its sans-IO cores on: a typed inbox that any thread may
/// post to, one reader that hands each input to the core (<c>step</c>) and each returned effect
/// to the shell's interpreter, in order, on one logical thread, so cores need no locks.
/// Life cycle: <see cref="RunAsync"/> until the token is cancelled or <see cref="Stop"/> is
/// called; inputs still queued at stop are dropped (the daemon is leaving).
/// </summary>
public sealed class EventLoop<TInput, TEffect>
{
    private readonly Channel<TInput> _inbox = Channel.CreateUnbounded<TInput>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<TInput, IReadOnlyList<TEffect>> _step;
    private readonly Func<TEffect, ValueTask> _interpret;

    public EventLoop(Func<TInput, IReadOnlyList<TEffect>> step, Func<TEffect, ValueTask> interpret)
    {
        _step = step;
        _interpret = interpret;
    }

    /// <summary>Inputs handled so far (for statistics and tests).</summary>
    public long Handled { get; private set; }

    /// <summary>Queues an input; false once the loop has stopped.</summary>
    public bool Post(TInput input) => _inbox.Writer.TryWrite(input);

    /// <summary>Stops taking inputs; <see cref="RunAsync"/> returns after the input in hand.</summary>
    public void Stop() => _inbox.Writer.TryComplete();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(Stop);
        while (await _inbox.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (_inbox.Reader.TryRead(out var input))
            {
                if (cancellationToken.IsCancellationRequested) return;
                var effects = _step(input);
                Handled++;
                foreach (var effect in effects) await _interpret(effect).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Timers whose expiry posts <paramref name="toInput"/>(key) to this loop.</summary>
    public LoopTimers<TKey> CreateTimers<TKey>(TimeProvider time, Func<TKey, TInput> toInput) where TKey : notnull =>
        new(time, key => Post(toInput(key)));
}
