namespace Cluster.Messaging.Runtime;

/// <summary>
/// What a <see cref="TotemRuntime"/>'s protocol loop has done: frames and timer expiries handed
/// to the node, messages it accepted, messages it delivered, and the real time spent inside the
/// node (protocol work) and inside transport sends (wrapping and sendto), against the uptime.
/// </summary>
public sealed record RuntimeStatistics(
    long Frames,
    long TimerFires,
    long Accepted,
    long Delivered,
    TimeSpan InCore,
    TimeSpan InTransportSend,
    TimeSpan Uptime);
