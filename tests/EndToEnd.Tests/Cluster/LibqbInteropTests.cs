using System.Globalization;
using System.Text.RegularExpressions;
using Cluster.EndToEnd.Tests.Harness;
using Cluster.Messaging.Client;
using Cluster.TestSupport;

namespace Cluster.EndToEnd.Tests.Cluster;

/// <summary>
/// Debian's real corosync tools (libqb clients: libcmap, libquorum, libvotequorum, libcfg,
/// libcpg) against our daemon on a 3-node namespace cluster, in the daemon's shared-memory mode
/// (default, what Pacemaker needs) and in socket mode (system.qb_ipc_type: socket). Each real
/// tool must exit 0 and print exactly what our own tool prints for the same daemon, and the real
/// `corosync-quorumtool -s` must print the real daemon's capture (golden) but for date and ring id.
/// Then garbage handshakes, a corrupt request ring and 200 concurrent clients: the daemon keeps
/// serving with bounded memory. Needs root, the corosync package and python3; skipped otherwise.
/// </summary>
[Collection(ClusterCollection.Name)]
public partial class LibqbInteropTests
{
    private const string Sbin = "/usr/sbin/";

    private static bool Available => NamespaceCluster.Available && File.Exists(Sbin + "corosync-cmapctl") && File.Exists("/usr/bin/python3");

    [GeneratedRegex(@"^(runtime\.totem\.packets_|runtime\.services\.[a-z]+\.[0-9]+\.(rx|tx) |stats\.)")]
    private static partial Regex Counter();

    private static string WithoutCounters(string text) =>
        string.Join('\n', text.Split('\n').Where(l => !Counter().IsMatch(l)));

    private static string WithoutDate(string text) =>
        string.Join('\n', text.Split('\n').Select(l => l.StartsWith("Date:", StringComparison.Ordinal) ? "Date:" : l));

    private static string Golden(string name)
    {
        var lines = File.ReadAllText(Path.Combine(RepoPaths.Shared, "golden", name)).Split('\n');
        return string.Join('\n', lines.Skip(1).Where(l => !l.StartsWith("# ", StringComparison.Ordinal)));
    }

    private static string Normalize(string text) =>
        string.Join('\n', text.Split('\n').Select(l => l.StartsWith("Date:", StringComparison.Ordinal) ? "Date:" : l.StartsWith("Ring ID:", StringComparison.Ordinal) ? "Ring ID:" : l)).TrimEnd('\n');

    [Theory]
    [InlineData("shm")]
    [InlineData("socket")]
    public async Task Real_corosync_tools_print_what_our_tools_print_and_the_daemon_survives_bad_and_many_clients(string mode)
    {
        if (!Available)
            return;
        await using var c = new NamespaceCluster(new ClusterSpec { SystemExtra = $"    qb_ipc_type: {mode}\n" });
        c.Configure();
        c.StartAll();
        foreach (var n in c.Nodes)
            await c.WaitForQuorumAsync(n, 3, true, TimeSpan.FromSeconds(60));

        // A CPG member joined through our own protocol, so corosync-cpgtool has a group to list.
        await using var cpg = await CpgClient.ConnectAsync(c.SocketPath(2));
        await cpg.JoinAsync("interop");
        for (int i = 0; i < 100 && (await cpg.MembersAsync("interop")).Count < 1; i++)
            await Task.Delay(50);

        foreach (var args in new[] { new[] { "corosync-quorumtool", "-s" }, ["corosync-quorumtool", "-l"], ["corosync-cfgtool", "-s"], ["corosync-cpgtool"],
                     ["corosync-cmapctl"], ["corosync-cmapctl", "nodelist."], ["corosync-cmapctl", "-g", "totem.cluster_name"] })
        {
            var real = await c.RunAsync(1, Sbin + args[0], args[1..]);
            var ours = await c.RunAsync(1, args[0], args[1..]);
            var what = $"{mode}: {string.Join(' ', args)}\n--- real tool\n{real.Out}{real.Err}\n--- ours\n{ours.Out}{ours.Err}";
            Assert.True(real.ExitCode == 0, what);
            Assert.Equal(ours.ExitCode, real.ExitCode);
            Assert.True(WithoutCounters(WithoutDate(ours.Out)) == WithoutCounters(WithoutDate(real.Out)), what);
        }
        var quorum = await c.RunAsync(1, Sbin + "corosync-quorumtool", "-s");
        Assert.Equal(Normalize(Golden("3node.corosync-quorumtool-s.txt")), Normalize(quorum.Out));
        var cpgtool = await c.RunAsync(3, Sbin + "corosync-cpgtool");
        Assert.Contains("interop", cpgtool.Out, StringComparison.Ordinal);

        // Writes, a read-back and a delete through libcmap.
        Assert.Equal(0, (await c.RunAsync(1, Sbin + "corosync-cmapctl", "-s", "interop.key", "u32", "7")).ExitCode);
        Assert.Equal("interop.key (u32) = 7\n", (await c.RunAsync(1, Sbin + "corosync-cmapctl", "-g", "interop.key")).Out);
        Assert.Equal(0, (await c.RunAsync(1, Sbin + "corosync-cmapctl", "-d", "interop.key")).ExitCode);
        Assert.NotEqual(0, (await c.RunAsync(1, Sbin + "corosync-cmapctl", "-g", "interop.key")).ExitCode);

        // Garbage on the rendezvous socket, and (SHM) a corrupt request ring: the daemon closes those and keeps serving.
        var script = Path.Combine(Path.GetTempPath(), $"hc-qbclients-{c.RunId}.py");
        await File.WriteAllTextAsync(script, ClientsScript);
        try
        {
            var garbage = await c.RunAsync(1, "/usr/bin/python3", script, "garbage", mode);
            Assert.True(garbage.ExitCode == 0, garbage.Out + garbage.Err);
            Assert.Contains("refused 4 of 4", garbage.Out, StringComparison.Ordinal);
            if (mode == "shm")
                Assert.Contains("corrupt ring: dropped", garbage.Out, StringComparison.Ordinal);

            var many = await c.RunAsync(1, "/usr/bin/python3", script, "many", "200", Sbin + "corosync-quorumtool", "-s");
            var report = many.Out + many.Err + "\n--- daemon\n" + c.Output(1);
            Assert.True(many.ExitCode == 0, report);
            Assert.Contains("accepted 200 of 200", many.Out, StringComparison.Ordinal);
            Assert.Contains("tool rc 0", many.Out, StringComparison.Ordinal);
            var growth = Regex.Match(many.Out, @"rss growth kB (\d+)");
            Assert.True(growth.Success, report);
            // 200 connections: sparse rings and a few kB of bookkeeping each, far below 1 MB per client.
            Assert.True(long.Parse(growth.Groups[1].Value, CultureInfo.InvariantCulture) < 200 * 1024, report);
            Assert.Contains("leftover dirs 0", many.Out, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(script);
        }
        Assert.Equal(0, (await c.RunAsync(1, Sbin + "corosync-cmapctl", "-g", "totem.cluster_name")).ExitCode);
        Assert.True(c.IsRunning(1));
    }

    /// <summary>A raw libqb client in python (the test process is outside the node's network namespace, where the abstract sockets live).</summary>
    private const string ClientsScript = """
import ctypes, mmap, os, socket, struct, subprocess, sys, time

def addr(name):
    return b"\0" + name.encode() + b"\0" * (107 - len(name))

HELLO = struct.pack("<iiiiII", -1, 0, 24, 0, 1 << 20, 0)

def connect(service="cmap"):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(addr(service))
    return s

def read_response(s, timeout=20):
    s.settimeout(timeout)
    buf = b""
    while len(buf) < 12328:
        d = s.recv(12328 - len(buf))
        if not d:
            break
        buf += d
    return buf

def rss(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0

def shm_dirs():
    return [d for d in os.listdir("/dev/shm") if d.startswith("qb-")]

mode = sys.argv[1]
if mode == "garbage":
    refused = 0
    bad = [os.urandom(24), b"\xff\xff\xff", struct.pack("<iiiiII", -1, 0, 999, 0, 1 << 20, 0), struct.pack("<iiiiII", 7, 0, 24, 0, 1 << 20, 0)]
    for payload in bad:
        s = connect()
        s.sendall(payload)
        if len(payload) < 24:
            s.shutdown(socket.SHUT_WR)
        if len(read_response(s)) == 0:
            refused += 1
        s.close()
    print(f"refused {refused} of {len(bad)}")
    if sys.argv[2] == "shm":
        s = connect()
        s.sendall(HELLO)
        r = read_response(s)
        req = r[40:40 + 4096].split(b"\0")[0].decode()
        hdr = open(req + "-header", "r+b")
        data = open(req + "-data", "r+b")
        hm = mmap.mmap(hdr.fileno(), 8248)
        dm = mmap.mmap(data.fileno(), 0)
        # A chunk that claims 64 bytes but carries a wrong magic, announced like a real one.
        struct.pack_into("<II", dm, 0, 64, 0x12345678)
        libc = ctypes.CDLL("libc.so.6")
        sem = ctypes.addressof(ctypes.c_char.from_buffer(hm, 8208))
        libc.sem_post(ctypes.c_void_p(sem))
        s.sendall(b"\x40")
        s.settimeout(10)
        try:
            gone = s.recv(1) == b""
        except OSError:
            gone = True
        print("corrupt ring: " + ("dropped" if gone else "still open"))
        del sem
        hm.close(); dm.close(); hdr.close(); data.close(); s.close()
    ok = subprocess.run(["/usr/sbin/corosync-cmapctl", "-g", "totem.cluster_name"], capture_output=True, timeout=30).returncode
    sys.exit(ok)
elif mode == "many":
    n = int(sys.argv[2])
    first = connect()
    first.sendall(HELLO)
    r = read_response(first)
    server = int(r[40:].split(b"\0")[0].decode().split("/qb-")[1].split("-")[0])
    first.close()
    time.sleep(0.5)
    before = rss(server)
    socks = []
    for i in range(n):
        s = connect(["cmap", "cpg", "quorum", "votequorum", "cfg"][i % 5])
        s.sendall(HELLO)
        socks.append(s)
    ok = 0
    for s in socks:
        r = read_response(s)
        if len(r) == 12328 and struct.unpack_from("<i", r, 16)[0] == 0:
            ok += 1
    print(f"accepted {ok} of {n}")
    tool = subprocess.run(sys.argv[3:], capture_output=True, text=True, timeout=30)
    print(f"tool rc {tool.returncode}")
    after = rss(server)
    print(f"rss growth kB {max(0, after - before)} (before {before}, after {after})")
    for s in socks:
        s.close()
    left = -1
    for i in range(100):
        left = len(shm_dirs())
        if left == 0:
            break
        time.sleep(0.1)
    print(f"leftover dirs {left}")
""";
}
