using Cluster.Crm.Cib;
using Cluster.Crm.Simulation;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm;

/// <summary>crm_simulate: run the scheduler on a CIB file and show (and pretend to execute) the transition.</summary>
public static class CrmSimulateTool
{
    public static readonly ToolEntry Entry = new("crm_simulate", "Simulate the cluster's response to events", Run);

    private const string Usage = """
        Usage: crm_simulate -x FILE [options]
          -x, --xml-file=FILE      CIB to use ('-' = stdin)
          -L, --live-check         use the live CIB (not available yet)
          -R, --run                compute and show the transition summary
          -S, --simulate           also execute the transition with fake results
          -s, --show-scores        show allocation scores
          -Q, --quiet              show only the essentials
          -u, --node-up=NODE       bring a node online
          -d, --node-down=NODE     take a node offline
          -f, --node-fail=NODE     mark a node as failed
          -i, --op-inject=SPEC     inject rsc_task_interval@node=rc before scheduling
          -q, --quorum=0|1         set have-quorum
          -t, --set-datetime=DATE  set "now"
          -G, --save-graph=FILE    save the transition graph (XML)
          -D, --save-dotfile=FILE  save the transition graph (DOT)
          -O, --save-output=FILE   save the resulting CIB
              --text-fancy         headers and bullets even with -s
        """;

    public static Task<int> Run(ToolContext ctx, string[] args)
    {
        string? file = null, graph = null, dot = null, saveOutput = null, quorum = null;
        bool simulate = false, scores = false, quiet = false, fancyForced = false, live = false;
        DateTimeOffset? now = null;
        var up = new List<string>(); var down = new List<string>(); var fail = new List<string>(); var inject = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string? inlineValue = null;
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Contains('='))
            {
                inlineValue = a[(a.IndexOf('=') + 1)..];
                a = a[..a.IndexOf('=')];
            }
            string Value()
            {
                if (inlineValue is not null) return inlineValue;
                if (i + 1 >= args.Length) throw new ArgumentException($"option {a} needs a value");
                return args[++i];
            }
            try
            {
                switch (a)
                {
                    case "-x" or "--xml-file": file = Value(); break;
                    case "-p" or "--xml-pipe": file = "-"; break;
                    case "-L" or "--live-check": live = true; break;
                    case "-S" or "--simulate": simulate = true; break;
                    case "-X" or "--in-place": simulate = true; break;
                    case "-R" or "--run": break;
                    case "-s" or "--show-scores": scores = true; break;
                    case "-Q" or "--quiet": quiet = true; break;
                    case "-V" or "--verbose": break;
                    case "-u" or "--node-up": up.Add(Value()); break;
                    case "-d" or "--node-down": down.Add(Value()); break;
                    case "-f" or "--node-fail": fail.Add(Value()); break;
                    case "-i" or "--op-inject": inject.Add(Value()); break;
                    case "-q" or "--quorum": quorum = Value(); break;
                    case "-t" or "--set-datetime":
                        var d = Value();
                        now = IsoDate.TryParse(d) ?? throw new ArgumentException($"invalid date '{d}'");
                        break;
                    case "-G" or "--save-graph": graph = Value(); break;
                    case "-D" or "--save-dotfile": dot = Value(); break;
                    case "-O" or "--save-output": saveOutput = Value(); break;
                    case "--save-input" or "-I": Value(); break;
                    case "--text-fancy": fancyForced = true; break;
                    case "--output-as": if (Value() != "text") throw new ArgumentException("only --output-as=text is supported"); break;
                    case "-h" or "--help": ctx.Out.Write(Usage + "\n"); return Task.FromResult(0);
                    default:
                        if (a.Length > 2 && a[0] == '-' && a[1] != '-')
                        {
                            // Bundled short flags such as -sSQ.
                            var expanded = a[1..].Select(c => "-" + c).ToArray();
                            var rest = args.Take(i).Concat(expanded).Concat(args.Skip(i + 1)).ToArray();
                            return Run(ctx, rest);
                        }
                        throw new ArgumentException($"unknown option '{a}'");
                }
            }
            catch (ArgumentException e)
            {
                ctx.Err.WriteLine($"crm_simulate: {e.Message}");
                return Task.FromResult(64);
            }
        }
        if (live)
        {
            ctx.Err.WriteLine("crm_simulate: the live CIB is not available (no cluster daemon); use -x FILE");
            return Task.FromResult(69);
        }
        if (file is null)
        {
            ctx.Err.WriteLine("crm_simulate: no input given (use -x FILE)");
            return Task.FromResult(64);
        }
        CibDocument cib;
        try
        {
            cib = file == "-" ? CibDocument.Parse(CappedCibInput.ReadText(ctx.In)) : CibDocument.Load(file);
        }
        catch (CibParseException e)
        {
            ctx.Err.WriteLine($"crm_simulate: {e.Message}");
            return Task.FromResult(65);
        }
        // Like the real tool, refuse a CIB that fails validation (duplicate ids, unknown
        // references, bad scores) instead of scheduling a guess; exit 78 is CRM_EX_CONFIG.
        var invalid = CibVerifier.SchemaMessages(cib, file == "-" ? null : file);
        if (invalid.Count > 0)
        {
            foreach (var line in invalid) ctx.Err.WriteLine(line);
            ctx.Err.WriteLine("crm_simulate: CIB did not pass validation; nothing was scheduled (crm_verify -x FILE -V shows details)");
            return Task.FromResult(78);
        }
        var req = new SimulationRequest
        {
            Simulate = simulate, ShowScores = scores, Fancy = !scores || fancyForced, Quiet = quiet, Now = now,
            NodesUp = up, NodesDown = down, NodesFail = fail, OpInjections = inject, Quorum = quorum,
        };
        SimulationOutput output;
        try
        {
            output = Simulator.Run(cib, req);
        }
        catch (FormatException e)
        {
            ctx.Err.WriteLine($"crm_simulate: {e.Message}");
            return Task.FromResult(64);
        }
        ctx.Out.Write(output.Text);
        try
        {
            if (graph is not null) File.WriteAllText(graph, GraphWriter.ToXml(output.Result));
            if (dot is not null) File.WriteAllText(dot, GraphWriter.ToDot(output.Result));
            if (saveOutput is not null) File.WriteAllText(saveOutput, (output.RevisedCib ?? output.InputCib).ToString());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ctx.Err.WriteLine($"crm_simulate: cannot write output: {e.Message}");
            return Task.FromResult(73);
        }
        return Task.FromResult(output.ExitCode);
    }
}
