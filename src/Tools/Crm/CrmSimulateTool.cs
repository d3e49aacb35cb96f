using Cluster.Crm.Cib;
using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm;

/// <summary>
/// crm_simulate: run the scheduler on a CIB file and show (and pretend to execute) the
/// transition. Three steps: the command line becomes an <see cref="Invocation"/>, the simulator
/// runs on it, and the output and artifacts are written.
/// </summary>
public static class CrmSimulateTool
{
    public static readonly ToolEntry Entry = new("crm_simulate", "Simulate the cluster's response to events", Run);

    private const string Name = "crm_simulate";
    private const int ExitUnavailable = 69;
    private const int ExitDataErr = 65;
    private const int ExitConfig = 78;
    private const int ExitCantCreate = 73;

    private static readonly GlibOptions Options = new(Name, "crm_simulate - simulate a Pacemaker cluster's response to events",
    [
        new("quiet", 'Q', GlibValue.None, "Display only essential output"),
        new("output-as", null, GlibValue.Required, "Specify output format as one of: text (default)", "FORMAT", "output"),
        new("text-fancy", null, GlibValue.None, "Use more highly formatted output (requires --output-as=text)", Group: "output"),
        new("run", 'R', GlibValue.None, "Process the supplied input and show what actions the cluster will take in response", Group: "operations"),
        new("simulate", 'S', GlibValue.None, "Like --run, but also simulate taking those actions and show the resulting new status", Group: "operations"),
        new("in-place", 'X', GlibValue.None, "Like --simulate (the input file is left unchanged here)", Group: "operations"),
        new("show-scores", 's', GlibValue.None, "Show allocation scores", Group: "operations"),
        new("node-up", 'u', GlibValue.Required, "Simulate bringing a node online", "NODE", "synthetic"),
        new("node-down", 'd', GlibValue.Required, "Simulate taking a node offline", "NODE", "synthetic"),
        new("node-fail", 'f', GlibValue.Required, "Simulate a node failing", "NODE", "synthetic"),
        new("op-inject", 'i', GlibValue.Required, "Generate a failure for the cluster to react to in the simulation", "OPSPEC", "synthetic"),
        new("op-fail", 'F', GlibValue.Required, "If the specified task occurs during the simulation, have it fail with return code ${rc}", "OPSPEC", "synthetic"),
        new("set-datetime", 't', GlibValue.Required, "Set date/time (ISO 8601 format)", "DATETIME", "synthetic"),
        new("quorum", 'q', GlibValue.Required, "Set to '1' (or 'true') to indicate cluster has quorum", "QUORUM", "synthetic"),
        new("save-input", 'I', GlibValue.Required, "Save the input configuration to the named file", "FILE", "artifact"),
        new("save-output", 'O', GlibValue.Required, "Save the output configuration to the named file", "FILE", "artifact"),
        new("save-graph", 'G', GlibValue.Required, "Save the transition graph (XML format) to the named file", "FILE", "artifact"),
        new("save-dotfile", 'D', GlibValue.Required, "Save the transition graph (DOT format) to the named file", "FILE", "artifact"),
        new("live-check", 'L', GlibValue.None, "Connect to CIB manager and use the current CIB contents as input", Group: "source"),
        new("xml-file", 'x', GlibValue.Required, "Retrieve XML from the named file", "FILE", "source"),
        new("xml-pipe", 'p', GlibValue.None, "Retrieve XML from stdin", Group: "source"),
    ],
    [
        new("output", "Output Options:", "Show output help"),
        new("operations", "Operations:", "Show operations options"),
        new("synthetic", "Synthetic Cluster Events:", "Show synthetic cluster event options"),
        new("artifact", "Artifact Options:", "Show artifact options"),
        new("source", "Data Source:", "Show data source options"),
    ],
    epilogue: """
        Operation Specification:

        The OPSPEC in any command line option is of the form
        ${resource}_${task}_${interval_in_ms}@${node}=${rc}
        (memcached_monitor_20000@bart.example.com=7, for example).
        ${rc} is an OCF return code.

        Examples:

        Show what the cluster would do for the CIB in a file, with allocation scores:

        	crm_simulate -Rs --xml-file cib.xml
        """ + "\n\n\n");

    /// <summary>What the command line asks for: the input, the simulation, and where artifacts go.</summary>
    private sealed record Invocation(string File, SimulationRequest Request, string? Graph, string? Dot, string? SaveOutput, string? SaveInput);

    public static Task<int> Run(ToolContext ctx, string[] args)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var (invocation, exit) = ParseInvocation(ctx, args);
        if (invocation is null)
            return Task.FromResult(exit);
        var (output, failed) = Simulate(ctx, invocation);
        return Task.FromResult(output is null ? failed : Print(ctx, invocation, output));
    }

    /// <summary>The command line as an <see cref="Invocation"/>, or null and the exit code after printing help, the version or an error.</summary>
    private static (Invocation? Invocation, int Exit) ParseInvocation(ToolContext ctx, string[] args)
    {
        if (!Options.TryParse(ctx, args, out var parsed, out var exit))
            return (null, exit);
        (Invocation?, int) Fail(string message, int code)
        {
            ctx.Err.WriteLine($"{Name}: {message}");
            return (null, code);
        }
        if (parsed.Value("output-as") is { } format && format != "text")
            return Fail($"only --output-as=text is supported, not '{format}'", GlibOptions.ExitUsage);
        DateTimeOffset? now = null;
        if (parsed.Value("set-datetime") is { } date)
        {
            now = IsoDate.TryParse(date);
            if (now is null)
                return Fail($"invalid date '{date}' (--set-datetime takes ISO 8601)", GlibOptions.ExitUsage);
        }
        var file = parsed.Has("xml-pipe") ? "-" : parsed.Value("xml-file");
        if (file is null && parsed.Has("live-check"))
            return Fail("the live CIB is not available (no cluster daemon); use -x FILE", ExitUnavailable);
        if (file is null)
            return Fail("no input given (use -x FILE)", GlibOptions.ExitUsage);
        var scores = parsed.Has("show-scores");
        var request = new SimulationRequest
        {
            Simulate = parsed.Has("simulate") || parsed.Has("in-place"),
            ShowScores = scores,
            Fancy = !scores || parsed.Has("text-fancy"),
            Quiet = parsed.Has("quiet"),
            Now = now,
            NodesUp = parsed.Values("node-up"),
            NodesDown = parsed.Values("node-down"),
            NodesFail = parsed.Values("node-fail"),
            OpInjections = parsed.Values("op-inject"),
            OpFailures = parsed.Values("op-fail"),
            Quorum = parsed.Value("quorum"),
        };
        return (new Invocation(file, request, parsed.Value("save-graph"), parsed.Value("save-dotfile"), parsed.Value("save-output"), parsed.Value("save-input")), 0);
    }

    /// <summary>Loads and validates the CIB and runs the simulator; on failure, the error is printed and the exit code returned.</summary>
    private static (SimulationOutput? Output, int Exit) Simulate(ToolContext ctx, Invocation invocation)
    {
        CibDocument cib;
        try
        {
            cib = invocation.File == "-" ? CibDocument.Parse(CappedCibInput.ReadText(ctx.In)) : CibDocument.Load(invocation.File);
        }
        catch (CibParseException e)
        {
            ctx.Err.WriteLine($"{Name}: {e.Message}");
            return (null, ExitDataErr);
        }
        // Like the real tool, refuse a CIB that fails validation (duplicate ids, unknown
        // references, bad scores) instead of scheduling a guess; exit 78 is CRM_EX_CONFIG.
        var invalid = CibVerifier.SchemaMessages(cib, invocation.File == "-" ? null : invocation.File);
        if (invalid.Count > 0)
        {
            foreach (var line in invalid) ctx.Err.WriteLine(line);
            ctx.Err.WriteLine($"{Name}: CIB did not pass validation; nothing was scheduled (crm_verify -x FILE -V shows details)");
            return (null, ExitConfig);
        }
        try
        {
            return (CrmSimulator.Run(cib, invocation.Request), 0);
        }
        catch (FormatException e)
        {
            ctx.Err.WriteLine($"{Name}: {e.Message}");
            return (null, GlibOptions.ExitUsage);
        }
    }

    /// <summary>Writes the transition summary and the artifacts the command line asked for.</summary>
    private static int Print(ToolContext ctx, Invocation invocation, SimulationOutput output)
    {
        ctx.Out.Write(output.Text);
        try
        {
            if (invocation.SaveInput is not null) File.WriteAllText(invocation.SaveInput, output.InputCib.ToString());
            if (invocation.Graph is not null) File.WriteAllText(invocation.Graph, TransitionGraphXml.Write(output.Result.Graph));
            if (invocation.Dot is not null) File.WriteAllText(invocation.Dot, TransitionGraphDot.Write(output.Result.Graph));
            if (invocation.SaveOutput is not null) File.WriteAllText(invocation.SaveOutput, (output.RevisedCib ?? output.InputCib).ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ctx.Err.WriteLine($"{Name}: cannot write output: {e.Message}");
            return ExitCantCreate;
        }
        return output.ExitCode;
    }
}
