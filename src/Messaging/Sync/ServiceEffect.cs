using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Sync;

/// <summary>What a sans-IO service asks the daemon shell to do.</summary>
public abstract record ServiceEffect;

/// <summary>Multicast an exec message of a service in agreed order (applied when delivered, also locally).</summary>
public sealed record SendExec(ServiceId Service, ushort Function, byte[] Payload) : ServiceEffect;

/// <summary>A log line in corosync's layout: <paramref name="Subsystem"/> is the tag (QUORUM, VOTEQ, CPG, MAIN...).</summary>
public sealed record ServiceLog(LogLevel Level, string Subsystem, string Text) : ServiceEffect;

/// <summary>An event for one local IPC client (callbacks: CPG confchg/messages, quorum, cmap track).</summary>
public sealed record NotifyClient(ClientId Client, ClientEvent Event) : ServiceEffect;

/// <summary>Arm (After not null) or cancel a service's timer; the shell calls back OnTimer of that service.</summary>
public sealed record ServiceTimer(ServiceId Service, TimeSpan? After) : ServiceEffect;

/// <summary>Drop a local client (it is too slow, or asked for something that ends it).</summary>
public sealed record DisconnectClient(ClientId Client) : ServiceEffect;

/// <summary>A local IPC connection, unique for the daemon's lifetime.</summary>
public readonly record struct ClientId(long Value)
{
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Base of the callbacks sent to clients; concrete events live with their service.</summary>
public abstract record ClientEvent;

/// <summary>Collects the effects of one input so the shell can interpret them in order.</summary>
public sealed class ServiceOutput
{
    private readonly List<ServiceEffect> _effects = [];

    public void Add(ServiceEffect effect) => _effects.Add(effect);

    public void Log(LogLevel level, string subsystem, string text) => _effects.Add(new ServiceLog(level, subsystem, text));

    public void Send(ServiceId service, ushort function, byte[] payload) => _effects.Add(new SendExec(service, function, payload));

    public void Notify(ClientId client, ClientEvent e) => _effects.Add(new NotifyClient(client, e));

    public IReadOnlyList<ServiceEffect> Drain()
    {
        var copy = _effects.ToArray();
        _effects.Clear();
        return copy;
    }
}

/// <summary>Hand a frame to Totem for agreed-order delivery (the host turns SendExec into these).</summary>
public sealed record SubmitFrame(byte[] Frame) : ServiceEffect;
