using System.Diagnostics;
using System.Globalization;
using System.Text;
using Cluster.TestSupport;

namespace Cluster.EndToEnd.Tests.Harness;

/// <summary>
/// A cluster run by the failover bench's own scripts (<c>bench/failover/cluster.sh</c>), so the
/// namespace recipe for a full node (netns + mount + UTS namespaces, private /run, /dev/shm,
/// /var/lib/pacemaker, /etc/apache2, /var/www, a bridge with a client namespace and a VIP) lives in
/// one place for the benchmark and the tests. Each instance gets its own namespace prefix and base
/// directory; disposal runs the script's <c>down</c> (which kills by network namespace, by pid) and
/// deletes the base directory, whatever happened before.
/// </summary>
public sealed class FailoverBenchCluster : IAsyncDisposable
{
    private readonly Dictionary<string, string> _environment;

    /// <param name="prefix">Namespace names start with this plus the run id (tests running side by side pick different ones).</param>
    /// <param name="subnet">The bridge's /24 (first three octets): nodes .11.., the VIP .100, the client .200.</param>
    public FailoverBenchCluster(string stack, IReadOnlyDictionary<string, string>? knobs = null, string prefix = "fot", string subnet = "10.78.0")
    {
        RunId = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        Base = Path.Combine(Path.GetTempPath(), "fo-test-" + RunId);
        Subnet = subnet;
        _environment = new Dictionary<string, string>
        {
            ["STACK"] = stack,
            ["FO_PREFIX"] = prefix + RunId,
            ["FO_SUBNET"] = subnet,
            ["FO_BASE"] = Base,
            ["FO_BIN"] = RepoPaths.ArtifactsBin,
        };
        foreach (var (k, v) in knobs ?? new Dictionary<string, string>())
            _environment[k] = v;
    }

    public static string ScriptDir => Path.Combine(RepoPaths.Root, "bench", "failover");

    public string RunId { get; }

    public string Base { get; }

    public string Subnet { get; }

    /// <summary>The floating address setup-resources.sh gives WebIP.</summary>
    public string Vip => Subnet + ".100";

    /// <summary>The namespace prefix of this run (node N is <c>{Prefix}nN</c>, the switch <c>{Prefix}sw</c>).</summary>
    public string Prefix => _environment["FO_PREFIX"];

    /// <summary>Runs one of the bench scripts with this cluster's knobs; killed (its whole tree) after <paramref name="timeout"/>.</summary>
    public async Task<ToolResult> ScriptAsync(string script, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(ScriptDir, script));
        foreach (var a in args)
            start.ArgumentList.Add(a);
        foreach (var (k, v) in _environment)
            start.Environment[k] = v;
        start.Environment.Remove("HA_ROOT");
        using var p = Process.Start(start) ?? throw new InvalidOperationException("could not start bash");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync().ConfigureAwait(false);
            throw new TimeoutException($"{script} {string.Join(' ', args)} did not finish in {timeout}:\n{await stdout.ConfigureAwait(false)}\n{await stderr.ConfigureAwait(false)}");
        }
        return new ToolResult(p.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    public Task<ToolResult> ClusterAsync(TimeSpan timeout, params string[] args) => ScriptAsync("cluster.sh", timeout, args);

    /// <summary>A command inside a node (the stack's PATH), bounded to 30 s.</summary>
    public Task<ToolResult> ExecAsync(int node, params string[] command) =>
        ClusterAsync(TimeSpan.FromSeconds(30), ["exec", node.ToString(CultureInfo.InvariantCulture), .. command]);

    /// <summary>The page the client namespace gets through the VIP ("" when nothing answers in 1 s).</summary>
    public async Task<string> PageAsync()
    {
        var r = await ClusterAsync(TimeSpan.FromSeconds(10), "client", "curl", "-s", "-m", "1", $"http://{Vip}/").ConfigureAwait(false);
        return r.ExitCode == 0 ? r.Out.Trim() : "";
    }

    /// <summary>
    /// Polls <paramref name="probe"/> every half second until it returns a value <paramref name="done"/>
    /// accepts, at most <paramref name="timeout"/>; the last value goes into the timeout's message.
    /// </summary>
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last = await probe().ConfigureAwait(false);
        for (int i = 0; i < 1000 && !done(last) && DateTime.UtcNow < deadline; i++)
        {
            await Task.Delay(500).ConfigureAwait(false);
            last = await probe().ConfigureAwait(false);
        }
        return done(last) ? last : throw new TimeoutException($"{what} not reached in {timeout}; last:\n{last}");
    }

    /// <summary>The last lines of a node's Pacemaker and corosync logs, for failure messages.</summary>
    public string Logs(int node, int lines = 30)
    {
        var sb = new StringBuilder();
        foreach (var file in new[] { "var-log/pacemaker/pacemaker.log", "var-log/cluster/corosync.log" })
        {
            var path = Path.Combine(Base, "node" + node.ToString(CultureInfo.InvariantCulture), file);
            sb.Append("--- node").Append(node).Append(' ').Append(file).Append('\n');
            if (File.Exists(path))
            {
                var all = File.ReadAllLines(path);
                foreach (var l in all.Skip(Math.Max(0, all.Length - lines)))
                    sb.Append(l).Append('\n');
            }
        }
        return sb.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await ClusterAsync(TimeSpan.FromSeconds(60), "down").ConfigureAwait(false);
        }
        finally
        {
            try
            {
                if (Directory.Exists(Base))
                    Directory.Delete(Base, recursive: true);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
