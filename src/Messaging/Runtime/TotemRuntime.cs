using System.Diagnostics;
using System.Threading.Channels;
using Cluster.Common.Loop;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Runtime;

/// <summary>
/// The shell around a sans-IO <see cref="ITotemNode"/>: one protocol loop (an
/// <see cref="EventLoop{TInput,TEffect}"/>) owns the node and feeds it received frames, timer
/// expiries (<see cref="LoopTimers{TKey}"/> on a <see cref="TimeProvider"/>) and application
/// sends, then carries out the effects: frames to the <see cref="ITransport"/>, timers armed or
/// cancelled, the ring sequence persisted (<see cref="RingIdStore"/>), log lines to the logger,
/// and deliveries and configuration changes, in order, to <see cref="Deliveries"/>.
/// <see cref="StopAsync"/> leaves the ring gracefully; <see cref="DisposeAsync"/> without it
/// stops abruptly, as a crash would (no leave message).
/// </summary>
public sealed class TotemRuntime : IAsyncDisposable
{
    private readonly ITotemNode _node;
    private readonly ITransport _transport;
    private readonly RuntimeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly RingIdStore _ringIds;
    private readonly EventLoop<LoopEvent, TotemEffect> _loopShell;
    private readonly LoopTimers<TotemTimer> _timers;
    private readonly Channel<TotemEffect> _deliveries =
        Channel.CreateUnbounded<TotemEffect>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly Queue<SubmitEvent> _pending = new();
    private long _startTimestamp;
    private Task? _loop;
    private int _stage; // 0 new, 1 running, 2 stopped
    private int _shutDown;
    private bool _running;

    // Loop statistics (written by the loop only). Real-clock ticks on purpose: they measure
    // where CPU time goes, which a virtual TimeProvider cannot tell.
    private long _frames;
    private long _timerFires;
    private long _accepted;
    private long _delivered;
    private long _coreTicks;
    private long _sendTicks;
    private readonly long _createdTicks = Stopwatch.GetTimestamp();

    /// <summary>The largest message the <see cref="ITotemNode"/> contract accepts.</summary>
    public const int MaxMessageSize = 1024 * 1024;

    public TotemRuntime(ITotemNode node, ITransport transport, RuntimeOptions options, TimeProvider time, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(options);
        if (node.LocalNode != options.LocalNode || transport.LocalNode != options.LocalNode)
            throw new ArgumentException($"node {node.LocalNode}, transport {transport.LocalNode} and options {options.LocalNode} disagree on the local node id");
        _node = node;
        _transport = transport;
        _options = options;
        _time = time;
        _logger = logger;
        _ringIds = new RingIdStore(options.StateDirectory, options.LocalNode);
        _loopShell = new EventLoop<LoopEvent, TotemEffect>(Step, Execute);
        _timers = _loopShell.CreateTimers<TotemTimer>(time, timer => new TimerEvent(timer));
    }

    public NodeId LocalNode => _options.LocalNode;

    public ITransport Transport => _transport;

    /// <summary>
    /// Agreed-order output: only <see cref="Deliver"/> and <see cref="DeliverConfiguration"/>
    /// effects, in the order the node produced them. Completes when the runtime stops (with the
    /// node's exception if the protocol loop failed).
    /// </summary>
    public ChannelReader<TotemEffect> Deliveries => _deliveries.Reader;

    /// <summary>The protocol loop; faults if the node or a side effect threw.</summary>
    public Task Completion => _loop ?? Task.CompletedTask;

    /// <summary>The last ring sequence written to the ringid file (or read from it at start).</summary>
    public ulong PersistedRingSequence { get; private set; }

    /// <summary>Reads the ring id file, opens the transport and starts the node (it enters GATHER).</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _stage, 1, 0) != 0)
            throw new InvalidOperationException("the runtime was already started");
        PersistedRingSequence = _ringIds.Load();
        _startTimestamp = _time.GetTimestamp();
        _loopShell.Post(new StartEvent(PersistedRingSequence));
        _transport.PeerReachabilityChanged = (peer, reachable) => _loopShell.Post(new ReachabilityEvent(peer, reachable));
        _transport.Start(OnFrameReceived);
        _loop = Task.Run(RunAsync);
        Volatile.Write(ref _running, true);
    }

    /// <summary>Receive thread: admits well-formed frames to the loop, counts the rest by reason.</summary>
    private void OnFrameReceived(NodeId sender, ReadOnlyMemory<byte> frame)
    {
        if (_options.CheckFrames && !TotemFrameCheck.IsWellFormed(frame, out var reason, out var error))
        {
            _transport.Counters.CountRejected(reason);
            // Debug only: a flood of garbage must not turn into a flood of log lines.
            _logger.LogDebug("Dropped a {Length}-byte frame from node {Sender}: {Error}", frame.Length, sender, error);
            return;
        }
        _loopShell.Post(new FrameEvent(frame));
    }

    /// <summary>
    /// Hands a message to the node; completes once the node accepted it into its send queue
    /// (waiting while flow control says the queue is full). Delivery comes later, through
    /// <see cref="Deliveries"/>.
    /// </summary>
    public Task SubmitAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken = default) =>
        SubmitManyAsync([message], cancellationToken);

    /// <summary>Like <see cref="SubmitAsync"/> for several messages, kept in order; one completion for all.</summary>
    public Task SubmitManyAsync(IReadOnlyList<ReadOnlyMemory<byte>> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Length > MaxMessageSize)
                throw new ArgumentException($"message {i} is {messages[i].Length} bytes; at most {MaxMessageSize} are allowed", nameof(messages));
        }
        var submit = new SubmitEvent(messages, cancellationToken);
        if (Volatile.Read(ref _stage) != 1 || !Volatile.Read(ref _running) || !_loopShell.Post(submit))
            throw new InvalidOperationException("the Totem runtime is not running");
        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() => submit.Done.TrySetCanceled(cancellationToken));
            submit.Done.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
        return submit.Done.Task;
    }

    /// <summary>Leaves the ring (the others re-form at once instead of waiting for token loss), then stops.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.CompareExchange(ref _stage, 2, 1) != 1) return;
        if (_loop is null)
        {
            await ShutDownAsync().ConfigureAwait(false);
            return;
        }
        _loopShell.Post(new LeaveEvent());
        try
        {
            await _loop!.WaitAsync(_options.LeaveTimeout).ConfigureAwait(false);
        }
        finally
        {
            await ShutDownAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops without leaving, as a crash would; safe after <see cref="StopAsync"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        var stage = Interlocked.Exchange(ref _stage, 2);
        if (stage == 1 && _loop is not null)
        {
            _loopShell.Post(new HaltEvent());
            try
            {
                await _loop!.WaitAsync(_options.LeaveTimeout).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException || _loop!.IsFaulted)
            {
                // Already logged and surfaced through Completion and Deliveries; disposal still cleans up.
            }
            await ShutDownAsync().ConfigureAwait(false);
        }
        else if (_loop is null)
        {
            // Never started, or Start failed (the ring id file or the transport): just clean up.
            await ShutDownAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Counts and where the protocol loop spent its time, for benchmarks and status tools.</summary>
    public RuntimeStatistics Statistics => new(
        Interlocked.Read(ref _frames),
        Interlocked.Read(ref _timerFires),
        Interlocked.Read(ref _accepted),
        Interlocked.Read(ref _delivered),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _coreTicks)),
        Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _sendTicks)),
        Stopwatch.GetElapsedTime(_createdTicks));

    private async Task ShutDownAsync()
    {
        if (Interlocked.Exchange(ref _shutDown, 1) != 0) return;
        _loopShell.Halt();
        _timers.Dispose();
        await _transport.DisposeAsync().ConfigureAwait(false);
    }

    private TimeSpan Now => _time.GetElapsedTime(_startTimestamp);

    private async Task RunAsync()
    {
        try
        {
            await _loopShell.RunAsync(CancellationToken.None).ConfigureAwait(false);
            Finish(null);
        }
        catch (Exception e)
        {
            _logger.LogCritical(e, "Totem protocol loop of node {Node} failed", LocalNode);
            Finish(e);
            throw;
        }
    }

    private void Finish(Exception? error)
    {
        _loopShell.Halt();
        _deliveries.Writer.TryComplete(error);
        var reason = error ?? new OperationCanceledException("the Totem runtime stopped");
        while (_pending.TryDequeue(out var submit)) submit.Done.TrySetException(reason);
        foreach (var late in _loopShell.TakeUnhandled())
        {
            if (late is SubmitEvent s) s.Done.TrySetException(reason);
        }
    }

    /// <summary>
    /// One input to the node, then another try at the sends flow control held back (the input
    /// may have freed room in the node's queue). Leave and halt end the loop after their effects.
    /// </summary>
    private IReadOnlyList<TotemEffect> Step(LoopEvent loopEvent)
    {
        var effects = new List<TotemEffect>();
        switch (loopEvent)
        {
            case FrameEvent frame:
            {
                var started = Stopwatch.GetTimestamp();
                effects.AddRange(_node.OnFrame(frame.Frame.Span, Now));
                Interlocked.Add(ref _coreTicks, Stopwatch.GetTimestamp() - started);
                Interlocked.Increment(ref _frames);
                break;
            }
            case TimerEvent timer:
            {
                // Decided here, on the loop, with the timers' own clock: a stale callback is ignored.
                if (!_timers.TryFire(timer.Timer)) return effects;
                var started = Stopwatch.GetTimestamp();
                effects.AddRange(_node.OnTimer(timer.Timer, Now));
                Interlocked.Add(ref _coreTicks, Stopwatch.GetTimestamp() - started);
                Interlocked.Increment(ref _timerFires);
                break;
            }
            case SubmitEvent submit:
                if (_pending.Count > 0 || !TrySubmit(submit, effects)) _pending.Enqueue(submit);
                break;
            case StartEvent start:
                effects.AddRange(_node.Start(start.RingSequence, Now));
                break;
            case ReachabilityEvent reachability:
                effects.AddRange(_node.OnPeerReachability(reachability.Peer, reachability.Reachable, Now));
                break;
            case LeaveEvent:
                effects.AddRange(_node.Leave(Now));
                _loopShell.Halt();
                return effects;
            case HaltEvent:
                _loopShell.Halt();
                return effects;
            default:
                throw new InvalidOperationException($"unknown loop event {loopEvent.GetType().Name}");
        }
        DrainPending(effects);
        return effects;
    }

    /// <summary>Submits what it can of <paramref name="submit"/>; true when all of it was accepted.</summary>
    private bool TrySubmit(SubmitEvent submit, List<TotemEffect> effects)
    {
        if (submit.Done.Task.IsCompleted) return true; // cancelled while queued
        while (submit.Next < submit.Messages.Count)
        {
            var started = Stopwatch.GetTimestamp();
            effects.AddRange(_node.Submit(submit.Messages[submit.Next], Now, out var accepted));
            Interlocked.Add(ref _coreTicks, Stopwatch.GetTimestamp() - started);
            if (!accepted) return false;
            Interlocked.Increment(ref _accepted);
            submit.Next++;
        }
        submit.Done.TrySetResult();
        return true;
    }

    private void DrainPending(List<TotemEffect> effects)
    {
        while (_pending.TryPeek(out var submit))
        {
            if (!TrySubmit(submit, effects)) return;
            _pending.Dequeue();
        }
    }

    /// <summary>The loop's interpreter: one effect, in the order the node produced it.</summary>
    private ValueTask Execute(TotemEffect effect)
    {
        switch (effect)
        {
            case SendTo send:
            {
                var started = Stopwatch.GetTimestamp();
                _transport.SendTo(send.Target, send.Frame.Span);
                Interlocked.Add(ref _sendTicks, Stopwatch.GetTimestamp() - started);
                break;
            }
            case Broadcast broadcast:
            {
                var started = Stopwatch.GetTimestamp();
                _transport.Broadcast(broadcast.Frame.Span);
                Interlocked.Add(ref _sendTicks, Stopwatch.GetTimestamp() - started);
                break;
            }
            case ArmTimer arm:
                _timers.Arm(arm.Timer, arm.After);
                break;
            case CancelTimer cancel:
                _timers.Cancel(cancel.Timer);
                break;
            case Deliver:
                Interlocked.Increment(ref _delivered);
                _deliveries.Writer.TryWrite(effect);
                break;
            case DeliverConfiguration:
                _deliveries.Writer.TryWrite(effect);
                break;
            case PersistRingSequence persist:
                _ringIds.Save(persist.Sequence);
                PersistedRingSequence = persist.Sequence;
                break;
            case LogLine log:
#pragma warning disable CA2254 // the core's messages are already formatted text
                _logger.Log(log.Level, log.Message);
#pragma warning restore CA2254
                break;
            default:
                throw new InvalidOperationException($"unknown Totem effect {effect.GetType().Name}");
        }
        return ValueTask.CompletedTask;
    }

    private abstract class LoopEvent;

    private sealed class FrameEvent(ReadOnlyMemory<byte> frame) : LoopEvent
    {
        public ReadOnlyMemory<byte> Frame { get; } = frame;
    }

    private sealed class TimerEvent(TotemTimer timer) : LoopEvent
    {
        public TotemTimer Timer { get; } = timer;
    }

    private sealed class StartEvent(ulong ringSequence) : LoopEvent
    {
        public ulong RingSequence { get; } = ringSequence;
    }

    private sealed class LeaveEvent : LoopEvent;

    /// <summary>The transport lost every link to a peer, or got one back.</summary>
    private sealed class ReachabilityEvent(NodeId peer, bool reachable) : LoopEvent
    {
        public NodeId Peer { get; } = peer;
        public bool Reachable { get; } = reachable;
    }

    private sealed class HaltEvent : LoopEvent;

    private sealed class SubmitEvent(IReadOnlyList<ReadOnlyMemory<byte>> messages, CancellationToken cancellationToken) : LoopEvent
    {
        public IReadOnlyList<ReadOnlyMemory<byte>> Messages { get; } = messages;
        public CancellationToken CancellationToken { get; } = cancellationToken;
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Next { get; set; }
    }
}
