using Cluster.Messaging.Client;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cluster.TestSupport;

namespace Cluster.EndToEnd.Tests.Harness;

/// <summary>
/// N real <c>artifacts/bin/corosync -f</c> nodes for end-to-end tests, with helpers to start,
/// crash (SIGKILL), stop (SIGTERM), run a tool on a node and wait for a condition (bounded).
/// Subclasses decide where a node lives: <see cref="LocalCluster"/> (127.0.0.N, own HA_ROOT, no
/// root needed) or <see cref="NamespaceCluster"/> (own network, mount and UTS namespaces).
/// Every process is tracked by pid and ended at disposal.
/// </summary>
public abstract class TestCluster : IAsyncDisposable
{
    private readonly Process?[] _daemons;
    private readonly StringBuilder?[] _daemonOutput;
    private readonly Process?[] _pacemakers;

    protected TestCluster(ClusterSpec spec)
    {
        Spec = spec;
        RunId = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        _daemons = new Process?[spec.Nodes + 1];
        _daemonOutput = new StringBuilder?[spec.Nodes + 1];
        _pacemakers = new Process?[spec.Nodes + 1];
    }

    /// <summary>Starts `pacemakerd -f` on the node (beside its corosync).</summary>
    public void StartPacemaker(int node)
    {
        if (_pacemakers[node] is { HasExited: false })
            throw new InvalidOperationException($"pacemakerd on node {node} is already running");
        var start = Command(node, Artifact("pacemakerd"), ["-f"]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        var p = Tracker.Start(start);
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        p.StandardInput.Close();
        _pacemakers[node] = p;
    }

    /// <summary>SIGKILL of the node's pacemakerd.</summary>
    public void CrashPacemaker(int node)
    {
        if (_pacemakers[node] is { } p)
        {
            ProcessTracker.Kill(p);
            p.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM of the node's pacemakerd, then wait (bounded) for its exit code.</summary>
    public async Task<int> StopPacemakerAsync(int node)
    {
        var p = _pacemakers[node] ?? throw new InvalidOperationException($"pacemakerd on node {node} was never started");
        ProcessTracker.Terminate(p);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        return p.ExitCode;
    }

    public bool IsPacemakerRunning(int node) => _pacemakers[node] is { HasExited: false };

    public ClusterSpec Spec { get; }

    /// <summary>Unique per cluster: names its directories, namespaces and interfaces.</summary>
    public string RunId { get; }

    protected ProcessTracker Tracker { get; } = new();

    public IEnumerable<int> Nodes => Enumerable.Range(1, Spec.Nodes);

    public abstract string Address(int node);

    /// <summary>Where a node's absolute path (e.g. /etc/corosync/authkey) is on this machine.</summary>
    public abstract string HostPath(int node, string path);

    /// <summary>The node's client socket, reachable from the test process.</summary>
    public string SocketPath(int node) => HostPath(node, "/run/corosync/corosync.sock");

    /// <summary>A command run inside the node (its HA_ROOT or namespaces).</summary>
    protected abstract ProcessStartInfo Command(int node, string program, IReadOnlyList<string> args);

    protected abstract int? LocalNodePos(int node);

    protected abstract int Port { get; }

    public static string Artifact(string tool)
    {
        var path = RepoPaths.Tool(tool);
        if (!File.Exists(path))
            throw new InvalidOperationException($"{path} is missing: run ./build.sh first");
        return path;
    }

    public void WriteConfig(int node, string? text = null)
    {
        var file = HostPath(node, "/etc/corosync/corosync.conf");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text ?? Spec.Config([.. Nodes.Select(Address)], Port, LocalNodePos(node)));
    }

    public void WriteAuthKey(int node, byte[] key)
    {
        var file = HostPath(node, "/etc/corosync/authkey");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, key);
    }

    /// <summary>Writes every node's config (and one shared authkey when crypto is on).</summary>
    public void Configure()
    {
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(256);
        foreach (var n in Nodes)
        {
            WriteConfig(n);
            if (Spec.Crypto)
                WriteAuthKey(n, key);
        }
    }

    public void Start(int node)
    {
        if (_daemons[node] is { HasExited: false })
            throw new InvalidOperationException($"node {node} is already running");
        var start = Command(node, Artifact("corosync"), ["-f"]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        var output = new StringBuilder();
        var p = Tracker.Start(start);
        p.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        p.StandardInput.Close();
        _daemons[node] = p;
        _daemonOutput[node] = output;
    }

    public void StartAll()
    {
        foreach (var n in Nodes)
            Start(n);
    }

    public bool IsRunning(int node) => _daemons[node] is { HasExited: false };

    /// <summary>What the node's daemon printed on stdout/stderr.</summary>
    public string Output(int node)
    {
        var o = _daemonOutput[node];
        if (o is null)
            return "";
        lock (o)
            return o.ToString();
    }

    /// <summary>SIGKILL of the node's daemon, as a crash.</summary>
    public void Crash(int node)
    {
        if (_daemons[node] is { } p)
        {
            ProcessTracker.Kill(p);
            p.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM, then wait (bounded) for the exit code.</summary>
    public async Task<int> StopAsync(int node)
    {
        var p = _daemons[node] ?? throw new InvalidOperationException($"node {node} was never started");
        ProcessTracker.Terminate(p);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        return p.ExitCode;
    }

    /// <summary>Waits (bounded) for the daemon to exit on its own; its exit code.</summary>
    public async Task<int> WaitForExitAsync(int node, TimeSpan timeout)
    {
        var p = _daemons[node] ?? throw new InvalidOperationException($"node {node} was never started");
        using var cts = new CancellationTokenSource(timeout);
        await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        return p.ExitCode;
    }

    /// <summary>Runs a tool from artifacts/bin (or any program) inside the node.</summary>
    public async Task<ToolResult> RunAsync(int node, string tool, params string[] args)
    {
        var program = File.Exists(RepoPaths.Tool(tool)) ? RepoPaths.Tool(tool) : tool;
        var start = Command(node, program, args);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        var p = Tracker.Start(start);
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            ProcessTracker.Kill(p);
            throw new TimeoutException($"{tool} {string.Join(' ', args)} on node {node} did not finish in 30 s");
        }
        var result = new ToolResult(p.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        Tracker.Forget(p);
        p.Dispose();
        return result;
    }

    /// <summary>Starts a long-running program inside the node (tracked: ended at disposal); its output is discarded.</summary>
    public Process Spawn(int node, string program, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = Command(node, program, args);
        foreach (var (k, v) in environment)
            start.Environment[k] = v;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        var p = Tracker.Start(start);
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        p.StandardInput.Close();
        return p;
    }

    /// <summary>`corosync-quorumtool -s` on a node, reduced to (nodes, quorate); (0, false) when it fails.</summary>
    public async Task<(int Nodes, bool Quorate, ToolResult Raw)> QuorumAsync(int node)
    {
        var r = await RunAsync(node, "corosync-quorumtool", "-s").ConfigureAwait(false);
        int nodes = 0;
        bool quorate = false;
        foreach (var line in r.Out.Split('\n'))
        {
            if (line.StartsWith("Nodes:", StringComparison.Ordinal))
                nodes = int.Parse(line[6..].Trim(), CultureInfo.InvariantCulture);
            if (line.StartsWith("Quorate:", StringComparison.Ordinal))
                quorate = line.EndsWith("Yes", StringComparison.Ordinal);
        }
        return (nodes, quorate, r);
    }

    /// <summary>The node's quorum state through the client library (no process start: cheap to poll).</summary>
    public async Task<(int Nodes, bool Quorate)?> QuorumStateAsync(int node)
    {
        try
        {
            await using var connection = await CorosyncConnection.ConnectAsync(SocketPath(node)).ConfigureAwait(false);
            var info = await new QuorumClient(connection).GetStatusAsync().ConfigureAwait(false);
            return (info.Members.Count, info.Quorate);
        }
        catch (Exception e) when (e is CorosyncUnavailableException or CorosyncRequestException)
        {
            return null;
        }
    }

    /// <summary>Polls (at most <paramref name="timeout"/>, 100 ms apart) until the node shows that many nodes and that quorum state.</summary>
    public async Task WaitForQuorumAsync(int node, int nodes, bool quorate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        (int Nodes, bool Quorate)? last = null;
        for (int i = 0; i < 2000 && DateTime.UtcNow < deadline; i++)
        {
            last = await QuorumStateAsync(node).ConfigureAwait(false);
            if (last is { } l && l.Nodes == nodes && l.Quorate == quorate)
                return;
            await Task.Delay(100).ConfigureAwait(false);
        }
        var raw = await QuorumAsync(node).ConfigureAwait(false);
        throw new TimeoutException($"node {node} did not reach {nodes} nodes / quorate={quorate}; last: {last}\n{raw.Raw}\n--- daemon output\n{Output(node)}");
    }

    public string Log(int node)
    {
        var file = HostPath(node, "/var/log/cluster/corosync.log");
        return File.Exists(file) ? File.ReadAllText(file) : "";
    }

    public virtual async ValueTask DisposeAsync()
    {
        Tracker.Dispose();
        await Task.CompletedTask.ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
