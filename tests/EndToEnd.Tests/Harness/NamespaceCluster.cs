using System.Diagnostics;
using System.Globalization;

namespace Cluster.EndToEnd.Tests.Harness;

/// <summary>
/// Root-only cluster where each node is a host in miniature: its own network namespace (veth to
/// a bridge in a separate switch namespace, private 10.x subnet, no route out), mount namespace
/// (private /etc/corosync, /var/lib/corosync, /var/log, a fresh tmpfs on /run and /dev/shm) and
/// UTS namespace (hostname nodeN). Each node has a long-lived anchor process holding its
/// namespaces; commands enter them with nsenter. Names carry the run id; teardown deletes the
/// namespaces (and with them the interfaces) and ends every tracked process.
/// </summary>
public sealed class NamespaceCluster : TestCluster
{
    private readonly string _root;
    private readonly int _subnet;
    private readonly Dictionary<int, Process> _anchors = [];
    private readonly List<string> _namespaces = [];
    private bool _partitioned;

    public static bool Available =>
        Environment.UserName == "root" && File.Exists("/usr/sbin/ip") && File.Exists("/usr/bin/nsenter") && File.Exists("/usr/bin/unshare")
        && Directory.Exists("/etc/corosync") && Directory.Exists("/var/lib/corosync");

    public NamespaceCluster(ClusterSpec spec) : base(spec)
    {
        _root = Path.Combine(Path.GetTempPath(), "hc-ns-" + RunId);
        _subnet = Random.Shared.Next(1, 250);
        try
        {
            Build();
        }
        catch
        {
            Teardown();
            throw;
        }
    }

    protected override int Port => 5405;

    private string Switch => "hc" + RunId + "sw";

    private string Ns(int node) => "hc" + RunId + "n" + node.ToString(CultureInfo.InvariantCulture);

    private string NodeIf(int node) => "h" + RunId + "a" + node.ToString(CultureInfo.InvariantCulture);

    private string SwitchIf(int node) => "h" + RunId + "b" + node.ToString(CultureInfo.InvariantCulture);

    public override string Address(int node) => string.Create(CultureInfo.InvariantCulture, $"10.213.{_subnet}.{10 + node}");

    public string NodeDir(int node) => Path.Combine(_root, "node" + node.ToString(CultureInfo.InvariantCulture));

    public override string HostPath(int node, string path)
    {
        // /run is a tmpfs inside the node: reach it through the anchor's root.
        if (path.StartsWith("/run/", StringComparison.Ordinal))
            return $"/proc/{_anchors[node].Id}/root{path}";
        if (path.StartsWith("/etc/corosync", StringComparison.Ordinal) || path.StartsWith("/var/lib/corosync", StringComparison.Ordinal))
            return NodeDir(node) + path;
        if (path.StartsWith("/var/log", StringComparison.Ordinal))
            return NodeDir(node) + path;
        return path;
    }

    protected override int? LocalNodePos(int node) => null; // found by host name, as on real hosts

    protected override ProcessStartInfo Command(int node, string program, IReadOnlyList<string> args)
    {
        var start = new ProcessStartInfo("nsenter") { UseShellExecute = false };
        foreach (var a in new[] { "-t", _anchors[node].Id.ToString(CultureInfo.InvariantCulture), "-m", "-u", "-n", "--", program })
            start.ArgumentList.Add(a);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment.Remove("HA_ROOT");
        start.Environment.Remove("NOTIFY_SOCKET");
        return start;
    }

    private static void Ip(params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo("ip", args) { UseShellExecute = false, RedirectStandardError = true })!;
        var err = p.StandardError.ReadToEnd();
        if (!p.WaitForExit(10_000) || p.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', args)} failed: {err}");
    }

    private void Build()
    {
        Ip("netns", "add", Switch);
        _namespaces.Add(Switch);
        Ip("-n", Switch, "link", "add", "br0", "type", "bridge");
        Ip("-n", Switch, "link", "set", "br0", "up");
        foreach (var n in Nodes)
        {
            Ip("netns", "add", Ns(n));
            _namespaces.Add(Ns(n));
            Ip("link", "add", NodeIf(n), "netns", Ns(n), "type", "veth", "peer", "name", SwitchIf(n), "netns", Switch);
            Ip("-n", Ns(n), "link", "set", "lo", "up");
            Ip("-n", Ns(n), "addr", "add", Address(n) + "/24", "dev", NodeIf(n));
            Ip("-n", Ns(n), "link", "set", NodeIf(n), "up");
            Ip("-n", Switch, "link", "set", SwitchIf(n), "master", "br0");
            Ip("-n", Switch, "link", "set", SwitchIf(n), "up");
            foreach (var dir in new[] { "etc/corosync", "var/lib/corosync", "var/log/cluster", "var/log/pacemaker", "var/lib/pacemaker/cib",
                         "var/lib/pacemaker/pengine", "var/lib/pacemaker/blackbox", "var/lib/pacemaker/cores" })
                Directory.CreateDirectory(Path.Combine(NodeDir(n), dir));
            var script = string.Join(" && ",
                $"hostname node{n}",
                $"mount --bind {NodeDir(n)}/etc/corosync /etc/corosync",
                $"mount --bind {NodeDir(n)}/var/lib/corosync /var/lib/corosync",
                $"mount --bind {NodeDir(n)}/var/log /var/log",
                // Debian's Pacemaker, when installed, gets a private state directory per node (its CIB), owned by its user.
                $"{{ [ ! -d /var/lib/pacemaker ] || ! id hacluster >/dev/null 2>&1 || {{ chown -R hacluster:haclient {NodeDir(n)}/var/lib/pacemaker {NodeDir(n)}/var/log/pacemaker"
                + $" && mount --bind {NodeDir(n)}/var/lib/pacemaker /var/lib/pacemaker; }}; }}",
                "mount -t tmpfs tmpfs /run",
                "mount -t tmpfs tmpfs /dev/shm",
                "exec sleep infinity");
            var anchor = Tracker.Start(new ProcessStartInfo("ip", ["netns", "exec", Ns(n), "unshare", "--mount", "--uts", "--propagation", "private", "--", "sh", "-c", script])
                { UseShellExecute = false });
            _anchors[n] = anchor;
        }
        // The anchors are ready once their hostname is set and /run is the fresh tmpfs.
        foreach (var n in Nodes)
        {
            for (int i = 0; i < 100; i++)
            {
                if (_anchors[n].HasExited)
                    throw new InvalidOperationException($"the namespace anchor of node {n} exited with {_anchors[n].ExitCode}");
                var hostname = $"/proc/{_anchors[n].Id}/root/etc/hostname";
                if (ReadLink($"/proc/{_anchors[n].Id}/exe").EndsWith("sleep", StringComparison.Ordinal))
                    break;
                Thread.Sleep(50);
                _ = hostname;
            }
        }
    }

    private static string ReadLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? "";
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>Takes the node's interface down (its link is cut; the others see a crash).</summary>
    public void CutLink(int node) => Ip("-n", Ns(node), "link", "set", NodeIf(node), "down");

    public void RestoreLink(int node) => Ip("-n", Ns(node), "link", "set", NodeIf(node), "up");

    /// <summary>Splits the switch: each group gets its own bridge.</summary>
    public void Partition(params int[][] groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        for (int g = 0; g < groups.Length; g++)
        {
            var bridge = "br" + (g + 1).ToString(CultureInfo.InvariantCulture);
            if (!_partitioned)
            {
                Ip("-n", Switch, "link", "add", bridge, "type", "bridge");
                Ip("-n", Switch, "link", "set", bridge, "up");
            }
            foreach (var n in groups[g])
                Ip("-n", Switch, "link", "set", SwitchIf(n), "master", bridge);
        }
        _partitioned = true;
    }

    /// <summary>Puts every node back on one bridge.</summary>
    public void Heal()
    {
        foreach (var n in Nodes)
            Ip("-n", Switch, "link", "set", SwitchIf(n), "master", "br0");
    }

    private void Teardown()
    {
        Tracker.Dispose();
        foreach (var ns in _namespaces)
        {
            try
            {
                Ip("netns", "del", ns);
            }
            catch (InvalidOperationException)
            {
            }
        }
        _namespaces.Clear();
        try
        {
            if (Directory.Exists(_root))
                Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync().ConfigureAwait(false);
        Teardown();
    }
}
