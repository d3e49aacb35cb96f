using Cluster.Messaging.Ipc;
using Cluster.Messaging.Ipc.Libqb;
using Cluster.Messaging.Sync;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Daemon;

/// <summary>
/// Everything the corosync daemon's loop reacts to, one record per source, so the inbox is typed
/// and a new source cannot be forgotten by the step's switch.
/// </summary>
internal abstract record DaemonInput;

/// <summary>An agreed-order delivery or configuration change from the Totem runtime.</summary>
internal sealed record TotemOutput(TotemEffect Effect) : DaemonInput;

/// <summary>The Totem runtime's delivery stream ended (with its error, if it failed).</summary>
internal sealed record TotemEnded(Exception? Error) : DaemonInput;

/// <summary>A request on our JSON client socket, or (Request null) the news that the client went.</summary>
internal sealed record ClientInput(IpcInbound Inbound) : DaemonInput;

/// <summary>A request or a disconnect on a libqb socket (the real client libraries).</summary>
internal sealed record QbInput(LibqbInbound Inbound) : DaemonInput;

/// <summary>A libqb client asks to connect; the loop decides (it knows whether the first sync is done).</summary>
internal sealed record QbConnectingInput(LibqbConnecting Ask) : DaemonInput;

/// <summary>A daemon timer may be due (the loop checks it against the current arming).</summary>
internal sealed record TimerInput(DaemonTimer Timer) : DaemonInput;

/// <summary>Leave the ring and stop (SIGTERM, or cfg's shutdown delivered).</summary>
internal sealed record StopInput(string Reason) : DaemonInput;

/// <summary>The daemon's timers, all on one <see cref="Common.Loop.LoopTimers{TKey}"/>.</summary>
internal abstract record DaemonTimer;

/// <summary>The timer a service asked for with <see cref="ServiceTimer"/> (votequorum's).</summary>
internal sealed record ServiceTimerKey(ServiceId Service) : DaemonTimer;

/// <summary>The end of a cfg shutdown vote (cfg.shutdown_timeout).</summary>
internal sealed record ShutdownVoteTimer : DaemonTimer
{
    public static ShutdownVoteTimer Key { get; } = new();
}

/// <summary>
/// The daemon's own effects beside the services' (<see cref="ServiceEffect"/>): bytes for one
/// client, carried out by the interpreter in the order the step produced them.
/// </summary>
internal sealed record SendToClient(ClientId Client, IpcDaemonMessage Message) : ServiceEffect;

internal sealed record SendQbReply(ClientId Client, byte[] Reply) : ServiceEffect;

internal sealed record SendQbEvent(ClientId Client, byte[] Event) : ServiceEffect;

/// <summary>Writes Totem's held-back membership lines (<see cref="DaemonLog.FlushMembershipLines"/>) at this point of the log.</summary>
internal sealed record FlushMembershipLog : ServiceEffect;
