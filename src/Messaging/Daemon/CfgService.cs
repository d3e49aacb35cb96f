using System.Buffers.Binary;
using System.Globalization;
using Cluster.Messaging.Sync;
using Cluster.Messaging.Totem;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Daemon;

/// <summary>
/// The cfg service's cluster-wide part: `corosync-cfgtool -k N` (KILLNODE) and `-H` (SHUTDOWN) go
/// through the ring so every node logs them; the named node then shuts itself down.
/// </summary>
public sealed class CfgService(NodeId local, Action<string> shutdown) : ISyncService
{
    public const ushort KillNode = 1;
    public const ushort Shutdown = 2;

    public ServiceId Id => ServiceId.Cfg;

    public static byte[] Encode(NodeId target)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, target.Value);
        return b;
    }

    public void OnExec(NodeId sender, ushort function, ReadOnlySpan<byte> payload, ServiceOutput output)
    {
        if (payload.Length != 4)
            return;
        var target = new NodeId(BinaryPrimitives.ReadUInt32LittleEndian(payload));
        var id = target.Value.ToString(CultureInfo.InvariantCulture);
        if (function == Shutdown)
        {
            output.Log(LogLevel.Information, "CFG   ", $"Node {id} was shut down by sysadmin");
            if (target == local)
                shutdown("sysadmin");
        }
        else if (function == KillNode && target == local)
        {
            output.Log(LogLevel.Information, "CFG   ", $"Node {id} was killed by sysadmin (requested by node {sender})");
            shutdown("killed");
        }
    }

    public void SyncInit(SyncContext context, ServiceOutput output)
    {
    }

    public IReadOnlyList<byte[]> SyncMessages() => [];

    public void OnSyncMessage(NodeId sender, ReadOnlySpan<byte> payload, ServiceOutput output)
    {
    }

    public void SyncActivate(ServiceOutput output)
    {
    }

    public void SyncAbort()
    {
    }
}
