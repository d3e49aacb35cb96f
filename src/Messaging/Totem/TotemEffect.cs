using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Totem;

/// <summary>
/// What a sans-IO Totem node asks its shell to do. The simulator and the real daemon interpret
/// the same effects: one with an in-memory network and virtual clock, the other with UDP
/// sockets and a TimeProvider.
/// </summary>
public abstract record TotemEffect;

/// <summary>Unicast a frame to one node (the token, the commit token).</summary>
public sealed record SendTo(NodeId Target, ReadOnlyMemory<byte> Frame) : TotemEffect;

/// <summary>Send a frame to every configured node, the sender included.</summary>
public sealed record Broadcast(ReadOnlyMemory<byte> Frame) : TotemEffect;

/// <summary>Arm (or re-arm) a timer; when it fires, the shell calls <c>OnTimer(timer, now)</c>.</summary>
public sealed record ArmTimer(TotemTimer Timer, TimeSpan After) : TotemEffect;

/// <summary>Disarm a timer if it is armed.</summary>
public sealed record CancelTimer(TotemTimer Timer) : TotemEffect;

/// <summary>Deliver an application message in agreed order.</summary>
public sealed record Deliver(Delivery Delivery) : TotemEffect;

/// <summary>Deliver a configuration change (transitional, then regular).</summary>
public sealed record DeliverConfiguration(ConfigurationChange Change) : TotemEffect;

/// <summary>Write the ring sequence to stable storage (ringid_NODEID) before going on.</summary>
public sealed record PersistRingSequence(ulong Sequence) : TotemEffect;

/// <summary>A log line for the shell to write (corosync's TOTEM subsystem messages).</summary>
public sealed record LogLine(LogLevel Level, string Message) : TotemEffect;
