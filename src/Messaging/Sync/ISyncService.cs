using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Sync;

/// <summary>
/// A service whose cluster-wide state is re-agreed after every regular configuration. The sync
/// engine calls SyncInit, multicasts what SyncMessages returns, feeds every member's sync
/// messages back through OnSyncMessage, and calls SyncActivate once all members' barriers are in.
/// </summary>
public interface ISyncService
{
    ServiceId Id { get; }

    void SyncInit(SyncContext context, ServiceOutput output);

    /// <summary>This node's contribution to the sync (payloads, in order).</summary>
    IReadOnlyList<byte[]> SyncMessages();

    void OnSyncMessage(NodeId sender, ReadOnlySpan<byte> payload, ServiceOutput output);

    void SyncActivate(ServiceOutput output);

    /// <summary>A new configuration arrived before this sync finished.</summary>
    void SyncAbort();

    /// <summary>A normal (non-sync) exec message of this service, in agreed order.</summary>
    void OnExec(NodeId sender, ushort function, ReadOnlySpan<byte> payload, ServiceOutput output);
}
