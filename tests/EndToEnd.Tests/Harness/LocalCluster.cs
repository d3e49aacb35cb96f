using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cluster.EndToEnd.Tests.Harness;

/// <summary>
/// No-root cluster: node N listens on 127.0.0.N (shifted by <see cref="ClusterSpec.FirstAddress"/>), with its own HA_ROOT directory (its
/// /etc/corosync, /var/lib/corosync, /run/corosync, /var/log/cluster) and a port picked free for this run.
/// </summary>
public sealed class LocalCluster : TestCluster
{
    private readonly string _root;

    public LocalCluster(ClusterSpec spec) : base(spec)
    {
        _root = Path.Combine(Path.GetTempPath(), "hc-e2e-" + RunId);
        Port = FreePort();
        foreach (var n in Nodes)
            Directory.CreateDirectory(Path.Combine(_root, "n" + n.ToString(CultureInfo.InvariantCulture), "var/log/cluster"));
    }

    protected override int Port { get; }

    public string HaRoot(int node) => Path.Combine(_root, "n" + node.ToString(CultureInfo.InvariantCulture));

    public override string Address(int node) => "127.0.0." + (Spec.FirstAddress + node - 1).ToString(CultureInfo.InvariantCulture);

    public override string HostPath(int node, string path) => HaRoot(node) + path;

    protected override int? LocalNodePos(int node) => node - 1;

    protected override ProcessStartInfo Command(int node, string program, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo(program, args) { UseShellExecute = false };
        start.Environment["HA_ROOT"] = HaRoot(node);
        start.Environment.Remove("NOTIFY_SOCKET");
        return start;
    }

    /// <summary>A UDP port free on every 127.0.0.N of the cluster right now.</summary>
    private int FreePort()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int port = Random.Shared.Next(20000, 60000);
            var sockets = new List<Socket>();
            try
            {
                foreach (var n in Nodes)
                {
                    var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    sockets.Add(s);
                    s.Bind(new IPEndPoint(IPAddress.Parse(Address(n)), port));
                }
                return port;
            }
            catch (SocketException)
            {
            }
            finally
            {
                foreach (var s in sockets)
                    s.Dispose();
            }
        }
        throw new InvalidOperationException("no free UDP port found");
    }

    public int UdpPort => Port;

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
