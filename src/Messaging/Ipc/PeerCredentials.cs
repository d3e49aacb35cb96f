using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;

namespace Cluster.Messaging.Ipc;

/// <summary>The connecting process as the kernel reports it (SO_PEERCRED): pid, uid, gid.</summary>
public readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    public static PeerCredentials Of(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Span<byte> cred = stackalloc byte[12];
        int n = socket.GetRawSocketOption(SolSocket, SoPeerCred, cred);
        if (n < 12)
            throw new SocketException((int)SocketError.ProtocolNotSupported);
        return new PeerCredentials(
            BinaryPrimitives.ReadInt32LittleEndian(cred),
            BinaryPrimitives.ReadUInt32LittleEndian(cred[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(cred[8..]));
    }

    /// <summary>This process's effective uid, from /proc/self/status (no P/Invoke needed).</summary>
    public static uint EffectiveUid()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("Uid:", StringComparison.Ordinal))
            {
                var fields = line[4..].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                return uint.Parse(fields[1], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException("no Uid line in /proc/self/status");
    }
}

/// <summary>
/// Who may use the daemon: root, the daemon's own user, and the uids/gids of the config's
/// uidgid {} entries (cmap <c>uidgid.uid.N</c> / <c>uidgid.gid.N</c>).
/// </summary>
public sealed record IpcAccessPolicy(uint DaemonUid, IReadOnlySet<uint> Uids, IReadOnlySet<uint> Gids)
{
    public bool Allows(PeerCredentials peer) =>
        peer.Uid == 0 || peer.Uid == DaemonUid || Uids.Contains(peer.Uid) || Gids.Contains(peer.Gid);
}
