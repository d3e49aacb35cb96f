using System.Threading.Channels;

namespace Cluster.Common.Loop;

/// <summary>
/// The one loop shell every daemon runs its sans-IO cores on: a typed inbox that any thread may
/// post to, one reader that hands each input to the core (<c>step</c>) and each returned effect
/// to the shell's interpreter, in order, on one logical thread, so cores need no locks.
/// Life cycle: <see cref="RunAsync"/> until <see cref="Stop"/> (no more inputs are taken, those
/// already queued are still handled), <see cref="Halt"/> (ends after the input in hand: a leave or
/// a crash), a cancelled token (like <see cref="Halt"/>) or a step or interpreter that throws
/// (<see cref="RunAsync"/> rethrows). Once it has ended, <see cref="Post"/> returns false and
/// <see cref="TakeUnhandled"/> gives the inputs that were never stepped, so their senders can be told.
/// </summary>
public sealed class EventLoop<TInput, TEffect>
{
    private readonly Channel<TInput> _inbox = Channel.CreateUnbounded<TInput>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<TInput, IReadOnlyList<TEffect>> _step;
    private readonly Func<TEffect, ValueTask> _interpret;
    private volatile bool _halted;

    public EventLoop(Func<TInput, IReadOnlyList<TEffect>> step, Func<TEffect, ValueTask> interpret)
    {
        _step = step;
        _interpret = interpret;
    }

    /// <summary>Inputs handled so far (for statistics and tests).</summary>
    public long Handled { get; private set; }

    /// <summary>Queues an input; false once the loop has stopped.</summary>
    public bool Post(TInput input) => _inbox.Writer.TryWrite(input);

    /// <summary>Stops taking inputs; <see cref="RunAsync"/> returns once those already queued are handled.</summary>
    public void Stop() => _inbox.Writer.TryComplete();

    /// <summary>
    /// Stops taking inputs and ends <see cref="RunAsync"/> after the input in hand (and its
    /// effects); queued inputs are not stepped. Safe from inside a step.
    /// </summary>
    public void Halt()
    {
        _halted = true;
        _inbox.Writer.TryComplete();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(Halt);
        try
        {
            while (await _inbox.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (!_halted && _inbox.Reader.TryRead(out var input))
                {
                    var effects = _step(input);
                    Handled++;
                    foreach (var effect in effects) await _interpret(effect).ConfigureAwait(false);
                }
                if (_halted) return;
            }
        }
        finally
        {
            // However the loop ended (a throw included), nobody may queue into a loop that no longer reads.
            _inbox.Writer.TryComplete();
        }
    }

    /// <summary>After the loop ended: the inputs it never stepped, in post order (each given once).</summary>
    public IReadOnlyList<TInput> TakeUnhandled()
    {
        var left = new List<TInput>();
        while (_inbox.Reader.TryRead(out var input)) left.Add(input);
        return left;
    }

    /// <summary>Timers whose expiry posts <paramref name="toInput"/>(key) to this loop.</summary>
    public LoopTimers<TKey> CreateTimers<TKey>(TimeProvider time, Func<TKey, TInput> toInput) where TKey : notnull =>
        new(time, key => Post(toInput(key)));
}
