using System.Globalization;
using System.Text;
using Cluster.Agents.Discovery;
using Cluster.Agents.Metadata;
using Cluster.Common.Paths;
using Cluster.Common.Processes;

namespace Cluster.Agents.Invocation;

/// <summary>
/// Runs one agent action as Pacemaker's executor does: OCF parameters in the environment, LSB
/// actions as the only argument, fence parameters as key=value lines on stdin. The agent runs in
/// its own process group, killed whole at the timeout.
/// </summary>
public sealed class AgentInvoker(AgentCatalog catalog, ProcessRunner runner, IReadOnlyDictionary<string, string> baseEnvironment)
    : IAgentRunner
{
    public const string ExitReasonPrefix = "ocf-exit-reason:";

    public AgentCatalog Catalog => catalog;

    /// <summary>Where meta-data answers are kept between calls; null runs the agent every time.</summary>
    public MetadataCache? MetadataCache { get; init; }

    /// <summary>The usual setup: search paths and base environment from the given variables.</summary>
    public static AgentInvoker FromEnvironment(Func<string, string?> getEnv, ProcessRunner? runner = null) =>
        new(new AgentCatalog(AgentSearchPaths.FromEnvironment(getEnv)), runner ?? ProcessRunner.Default, BaseEnvironmentFrom(getEnv))
        {
            MetadataCache = new MetadataCache(Path.Combine(HaPaths.FromEnvironment(getEnv).PacemakerRun, "agent-metadata")),
        };

    /// <summary>The variables every agent gets besides the OCF ones: a PATH, and HA_ROOT when set.</summary>
    public static Dictionary<string, string> BaseEnvironmentFrom(Func<string, string?> getEnv)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = ProgramLocator.DefaultPath,
            ["LC_ALL"] = "C",
        };
        foreach (var name in new[] { "HA_ROOT", AgentSearchPaths.AgentsDirVariable, "OCF_TRACE_RA", "HA_debug" })
        {
            if (getEnv(name) is { Length: > 0 } value)
                env[name] = value;
        }
        return env;
    }

    public async Task<AgentResult> InvokeAsync(AgentRequest request, CancellationToken cancellationToken = default)
    {
        if (!AgentRequest.IsSafeResourceId(request.ResourceId))
        {
            return new AgentResult(request, ExecutionStatus.Error, (int)OcfExitCode.ErrArgs,
                $"invalid resource id '{request.ResourceId}'", "", "", TimeSpan.Zero) { RawExitCode = (int)OcfExitCode.ErrArgs };
        }
        var path = catalog.Locate(request.Agent);
        if (path is null)
        {
            return new AgentResult(request, ExecutionStatus.NotInstalled, (int)OcfExitCode.ErrInstalled,
                $"{request.Agent} is not installed", "", "", TimeSpan.Zero) { RawExitCode = (int)OcfExitCode.ErrInstalled };
        }

        var spec = BuildSpec(request, path);
        var run = await runner.RunAsync(spec, cancellationToken).ConfigureAwait(false);
        var reason = ExitReason(run.StandardError);
        return run.Outcome switch
        {
            ProcessOutcome.FailedToStart => new AgentResult(request, ExecutionStatus.NotInstalled,
                (int)OcfExitCode.ErrInstalled, run.StartError, "", "", run.Elapsed) { RawExitCode = run.ExitCode },
            ProcessOutcome.TimedOut => new AgentResult(request, ExecutionStatus.TimedOut, (int)OcfExitCode.ErrGeneric,
                reason ?? $"{request.Action} timed out after {request.Timeout.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms",
                run.StandardOutput, run.StandardError, run.Elapsed) { RawExitCode = run.ExitCode },
            ProcessOutcome.Cancelled => new AgentResult(request, ExecutionStatus.Cancelled, (int)OcfExitCode.ErrGeneric,
                reason, run.StandardOutput, run.StandardError, run.Elapsed) { RawExitCode = run.ExitCode },
            _ => new AgentResult(request, ExecutionStatus.Done, MapExitCode(request, run.ExitCode), reason,
                run.StandardOutput, run.StandardError, run.Elapsed) { RawExitCode = run.ExitCode },
        };
    }

    /// <summary>Runs the meta-data action and parses it; a message says why it could not.</summary>
    public async Task<(AgentMetadata? Metadata, string? Error)> GetMetadataAsync(AgentId agent, CancellationToken cancellationToken = default)
    {
        if (agent.Standard is AgentStandard.Lsb or AgentStandard.Service)
        {
            var script = catalog.Locate(agent);
            return script is null
                ? (null, "not installed")
                : (LsbMetadata.FromScript(agent.Type, await File.ReadAllTextAsync(script, cancellationToken).ConfigureAwait(false)), null);
        }
        var located = catalog.Locate(agent);
        if (located is not null && MetadataCache?.TryGet(located) is { } cached)
        {
            try
            {
                return (MetadataParser.Parse(cached, agent.ToString()), null);
            }
            catch (MetadataFormatException)
            {
                // A damaged entry: ask the agent again below, which rewrites it.
            }
        }
        var action = agent.Standard == AgentStandard.Stonith ? "metadata" : "meta-data";
        var result = await InvokeAsync(new AgentRequest(agent, action, agent.Type) { Timeout = TimeSpan.FromSeconds(30) },
            cancellationToken).ConfigureAwait(false);
        if (result.Status == ExecutionStatus.NotInstalled)
            return (null, "not installed");
        if (result.Status != ExecutionStatus.Done || result.Rc != 0)
            return (null, $"meta-data action failed (rc={result.RawExitCode.ToString(CultureInfo.InvariantCulture)}{(result.ExitReason is null ? "" : ": " + result.ExitReason)})");
        try
        {
            var metadata = MetadataParser.Parse(result.StandardOutput, agent.ToString());
            if (located is not null)
                MetadataCache?.Put(located, result.StandardOutput);
            return (metadata, null);
        }
        catch (MetadataFormatException e)
        {
            return (null, e.Message);
        }
    }

    public ProcessSpec BuildSpec(AgentRequest request, string path)
    {
        var env = new Dictionary<string, string>(baseEnvironment, StringComparer.Ordinal);
        var args = new List<string>();
        string? stdin = null;
        switch (request.Agent.Standard)
        {
            case AgentStandard.Ocf:
                AddOcfEnvironment(env, request, path);
                args.Add(request.Action);
                break;
            case AgentStandard.Lsb or AgentStandard.Service:
                args.Add(request.Action == "monitor" ? "status" : request.Action);
                break;
            case AgentStandard.Stonith:
                stdin = FenceStdin(request);
                break;
        }
        return new ProcessSpec(path, args)
        {
            Environment = env,
            InheritEnvironment = false,
            StandardInput = stdin,
            Timeout = request.Timeout,
            WorkingDirectory = "/",
        };
    }

    private static void AddOcfEnvironment(Dictionary<string, string> env, AgentRequest request, string path)
    {
        env["OCF_ROOT"] = AgentCatalog.OcfRootOf(path);
        env["OCF_RA_VERSION_MAJOR"] = "1";
        env["OCF_RA_VERSION_MINOR"] = "1";
        env["OCF_RESOURCE_INSTANCE"] = request.ResourceId;
        env["OCF_RESOURCE_TYPE"] = request.Agent.Type;
        env["OCF_RESOURCE_PROVIDER"] = request.Agent.Provider ?? "";
        foreach (var (name, value) in request.Parameters)
        {
            if (name == "OCF_CHECK_LEVEL")
                env["OCF_CHECK_LEVEL"] = value;
            else
                env["OCF_RESKEY_" + name] = value;
        }
        foreach (var (name, value) in request.Meta)
            env["OCF_RESKEY_CRM_meta_" + name.Replace('-', '_')] = value;
        env["OCF_RESKEY_CRM_meta_timeout"] = Ms(request.Timeout);
        env["OCF_RESKEY_CRM_meta_interval"] = Ms(request.Interval);
        env["OCF_RESKEY_CRM_meta_name"] = request.Action;
        if (request.Parameters.TryGetValue("trace_ra", out var trace) && trace is "1" or "true" or "yes")
            env["OCF_TRACE_RA"] = "1";
    }

    /// <summary>The fence protocol: "action=..." then the device's parameters, minus pcmk_* ones.</summary>
    private static string FenceStdin(AgentRequest request)
    {
        var text = new StringBuilder();
        text.Append("action=").Append(request.Action).Append('\n');
        foreach (var (name, value) in request.Parameters)
        {
            if (name.StartsWith("pcmk_", StringComparison.Ordinal) || name == "action")
                continue;
            if (value.Contains('\n'))
                throw new ArgumentException($"fence parameter '{name}' contains a newline; the stdin protocol cannot carry it", nameof(request));
            text.Append(name).Append('=').Append(value).Append('\n');
        }
        return text.ToString();
    }

    private static int MapExitCode(AgentRequest request, int exitCode) => request.Agent.Standard switch
    {
        AgentStandard.Lsb or AgentStandard.Service => ResultClassifier.LsbToOcf(request.Action, exitCode),
        AgentStandard.Stonith => ResultClassifier.FenceToOcf(request.Action, exitCode),
        _ => ResultClassifier.NormaliseOcf(exitCode),
    };

    /// <summary>The last "ocf-exit-reason:" line the agent wrote to stderr.</summary>
    public static string? ExitReason(string stderr)
    {
        string? reason = null;
        foreach (var line in stderr.Split('\n'))
        {
            var at = line.IndexOf(ExitReasonPrefix, StringComparison.Ordinal);
            if (at >= 0)
                reason = line[(at + ExitReasonPrefix.Length)..].Trim();
        }
        return reason;
    }

    private static string Ms(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
}
