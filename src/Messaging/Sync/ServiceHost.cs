using System.Collections.Immutable;
using Cluster.Messaging.Totem;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Sync;

/// <summary>
/// Runs the services above Totem, sans-IO: demultiplexes delivered frames to services and runs
/// the sync protocol after every regular configuration. Each member multicasts its services'
/// sync data then one barrier for the new ring; once every member's barrier is delivered, every
/// service is activated in service-id order, all members at the same point of the total order.
/// Exec messages the local node wants to send during a sync wait until it completes, so they
/// never overtake sync data.
/// </summary>
public sealed class ServiceHost
{
    private readonly SortedDictionary<ServiceId, ISyncService> _services = [];
    private readonly ServiceOutput _output = new();
    private readonly List<byte[]> _waitingForSync = [];
    private readonly HashSet<NodeId> _barriers = [];
    private ImmutableArray<NodeId> _transitional = [];
    private ImmutableArray<NodeId> _members = [];
    private SyncContext? _sync;

    public ServiceHost(NodeId localNode, IEnumerable<ISyncService> services)
    {
        LocalNode = localNode;
        foreach (var s in services)
            _services.Add(s.Id, s);
    }

    public NodeId LocalNode { get; }

    public bool Synchronizing => _sync is not null;

    /// <summary>Frames delivered that could not be decoded or named an unknown service.</summary>
    public long DroppedFrames { get; private set; }

    /// <summary>Exec messages delivered per (service, function): the runtime.services.*.rx counters.</summary>
    public Dictionary<(ServiceId, ushort), ulong> Received { get; } = [];

    /// <summary>Exec messages sent per (service, function): the runtime.services.*.tx counters.</summary>
    public Dictionary<(ServiceId, ushort), ulong> Sent { get; } = [];

    public ImmutableArray<NodeId> Members => _members;

    /// <summary>Runs a local action against a service and returns the resulting effects.</summary>
    public IReadOnlyList<ServiceEffect> Run(Action<ServiceOutput> action)
    {
        action(_output);
        return Flush();
    }

    public IReadOnlyList<ServiceEffect> OnConfiguration(ConfigurationChange change)
    {
        if (change.Kind == ConfigurationKind.Transitional)
        {
            _transitional = change.Members;
            return Flush();
        }
        if (_sync is not null)
        {
            foreach (var s in _services.Values)
                s.SyncAbort();
        }
        var transitional = _transitional.Length > 0 || _members.Length > 0
            ? [.. _transitional.Where(change.Members.Contains)]
            : ImmutableArray<NodeId>.Empty;
        // Left and joined relative to the previous regular configuration (Totem may report departures
        // only in the transitional change). A member of both rings that is not in the transitional
        // set went through another ring meanwhile ("Members joined: 2 3 left: 2 3"): it left and
        // joined, and what it sent or received there is not ours.
        var cameThrough = _transitional.Length > 0 ? _transitional.ToHashSet() : [.. _members];
        var left = _members.Where(m => !change.Members.Contains(m) || !cameThrough.Contains(m)).ToImmutableArray();
        var joined = change.Members.Where(m => !_members.Contains(m) || !cameThrough.Contains(m)).ToImmutableArray();
        var ctx = new SyncContext(change.RingId, change.Members, transitional, left, joined);
        _members = change.Members;
        _transitional = [];
        _sync = ctx;
        _barriers.Clear();
        var frames = new List<byte[]>();
        foreach (var s in _services.Values)
        {
            s.SyncInit(ctx, _output);
            foreach (var payload in s.SyncMessages())
                frames.Add(new ServiceFrame(FrameKind.SyncData, s.Id, 0, ctx.RingId, payload).Encode());
        }
        frames.Add(new ServiceFrame(FrameKind.Barrier, 0, 0, ctx.RingId, ReadOnlyMemory<byte>.Empty).Encode());
        var effects = new List<ServiceEffect>(Flush());
        effects.InsertRange(0, frames.Select(f => new SubmitFrame(f)));
        return effects;
    }

    public IReadOnlyList<ServiceEffect> OnDelivery(Delivery delivery)
    {
        if (!ServiceFrame.TryDecode(delivery.Payload, out var frame))
        {
            DroppedFrames++;
            return [];
        }
        switch (frame.Kind)
        {
            case FrameKind.Exec:
                if (!_services.TryGetValue(frame.Service, out var service))
                {
                    DroppedFrames++;
                    return [];
                }
                Count(Received, frame.Service, frame.Function);
                service.OnExec(delivery.Sender, frame.Function, frame.Payload.Span, _output);
                break;
            case FrameKind.SyncData:
                if (_sync is null || frame.Ring != _sync.RingId)
                    break; // data of an aborted or finished sync
                if (_services.TryGetValue(frame.Service, out var syncing))
                    syncing.OnSyncMessage(delivery.Sender, frame.Payload.Span, _output);
                break;
            case FrameKind.Barrier:
                if (_sync is null || frame.Ring != _sync.RingId)
                    break;
                _barriers.Add(delivery.Sender);
                if (_sync.Members.All(_barriers.Contains))
                    Complete();
                break;
        }
        return Flush();
    }

    private void Complete()
    {
        foreach (var s in _services.Values)
            s.SyncActivate(_output);
        _output.Log(LogLevel.Information, "MAIN  ", "Completed service synchronization, ready to provide service.");
        _sync = null;
    }

    private IReadOnlyList<ServiceEffect> Flush()
    {
        var raw = _output.Drain();
        var effects = new List<ServiceEffect>(raw.Count);
        if (_sync is null && _waitingForSync.Count > 0)
        {
            // Sync is over: what waited goes first, before anything sent on activation.
            effects.AddRange(_waitingForSync.Select(f => new SubmitFrame(f)));
            _waitingForSync.Clear();
        }
        foreach (var e in raw)
        {
            if (e is SendExec exec)
            {
                Count(Sent, exec.Service, exec.Function);
                var frame = new ServiceFrame(FrameKind.Exec, exec.Service, exec.Function, default, exec.Payload).Encode();
                if (_sync is not null)
                    _waitingForSync.Add(frame);
                else
                    effects.Add(new SubmitFrame(frame));
            }
            else
            {
                effects.Add(e);
            }
        }
        return effects;
    }

    private static void Count(Dictionary<(ServiceId, ushort), ulong> counters, ServiceId service, ushort function)
    {
        counters.TryGetValue((service, function), out var n);
        counters[(service, function)] = n + 1;
    }
}
