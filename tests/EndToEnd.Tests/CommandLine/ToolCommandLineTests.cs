using Cluster.Tools;
using Cluster.Tools.Dispatch;

namespace Cluster.EndToEnd.Tests.CommandLine;

/// <summary>
/// Every tool's help, version, unknown option and missing argument: the real tool's wording
/// (first line) and exit code, observed from corosync 3.1.7 and Pacemaker 2.1.5, and never a
/// stack trace. Our own tools (totem-sim, totem-bench, cib-bench, cluster-fuzz) follow
/// System.CommandLine instead. <see cref="ToolCommandLineDifferentialTests"/> compares whole
/// outputs with the installed tools.
/// </summary>
public class ToolCommandLineTests
{
    public enum Stream { Out, Err }

    /// <summary>Tools this table does not cover yet, and why (none today; keep the list for the next tool).</summary>
    private static readonly Dictionary<string, string> NotCovered = new(StringComparer.Ordinal);

    public static TheoryData<string, string[], int, Stream, string> Cases() => new()
    {
        // corosync: plain getopt("c:ftv"), no help option at all.
        { "corosync", ["-h"], 1, Stream.Err, "corosync: invalid option -- 'h'" },
        { "corosync", ["--help"], 1, Stream.Err, "corosync: invalid option -- '-'" },
        { "corosync", ["-v"], 0, Stream.Out, "Corosync Cluster Engine" },
        { "corosync", ["-Z"], 1, Stream.Err, "corosync: invalid option -- 'Z'" },
        { "corosync", ["-c"], 1, Stream.Err, "corosync: option requires an argument -- 'c'" },
        // corosync-quorumtool: plain getopt.
        { "corosync-quorumtool", ["-h"], 0, Stream.Out, "usage: " },
        { "corosync-quorumtool", ["--help"], 1, Stream.Err, "corosync-quorumtool: invalid option -- '-'" },
        { "corosync-quorumtool", ["-V"], 0, Stream.Out, "corosync-quorumtool version: 3.1.7" },
        { "corosync-quorumtool", ["-Z"], 1, Stream.Err, "corosync-quorumtool: invalid option -- 'Z'" },
        { "corosync-quorumtool", ["-v"], 1, Stream.Err, "corosync-quorumtool: option requires an argument -- 'v'" },
        // corosync-cfgtool: getopt_long, no version option.
        { "corosync-cfgtool", ["-h"], 0, Stream.Out, "corosync-cfgtool [[-i <interface ip>] [-b] -s] [-R] [-L] [-k nodeid] [-a nodeid] [-h] [-H]" },
        { "corosync-cfgtool", ["--help"], 1, Stream.Err, "corosync-cfgtool: unrecognized option '--help'" },
        { "corosync-cfgtool", ["-V"], 1, Stream.Err, "corosync-cfgtool: invalid option -- 'V'" },
        { "corosync-cfgtool", ["-k"], 1, Stream.Err, "corosync-cfgtool: option requires an argument -- 'k'" },
        // corosync-cpgtool: plain getopt, no version option.
        { "corosync-cpgtool", ["-h"], 0, Stream.Out, "corosync-cpgtool [-d delimiter] [-e] [-n] [-h]" },
        { "corosync-cpgtool", ["--help"], 1, Stream.Err, "corosync-cpgtool: invalid option -- '-'" },
        { "corosync-cpgtool", ["-V"], 1, Stream.Err, "corosync-cpgtool: invalid option -- 'V'" },
        { "corosync-cpgtool", ["-d"], 1, Stream.Err, "corosync-cpgtool: option requires an argument -- 'd'" },
        // corosync-cmapctl: plain getopt (our --config extension aside), no version option.
        { "corosync-cmapctl", ["-h"], 0, Stream.Out, "usage:  corosync-cmapctl" },
        { "corosync-cmapctl", ["--help"], 1, Stream.Err, "corosync-cmapctl: invalid option -- '-'" },
        { "corosync-cmapctl", ["-V"], 1, Stream.Err, "corosync-cmapctl: invalid option -- 'V'" },
        { "corosync-cmapctl", ["-m"], 1, Stream.Err, "corosync-cmapctl: option requires an argument -- 'm'" },
        // corosync-keygen: getopt_long, every error followed by "Error parsing command line options.".
        { "corosync-keygen", ["-h"], 0, Stream.Out, "Usage: corosync-keygen [-k <keyfile>]" },
        { "corosync-keygen", ["--help"], 0, Stream.Out, "Usage: corosync-keygen [-k <keyfile>]" },
        { "corosync-keygen", ["--version"], 1, Stream.Err, "corosync-keygen: unrecognized option '--version'" },
        { "corosync-keygen", ["-Z"], 1, Stream.Err, "corosync-keygen: invalid option -- 'Z'" },
        { "corosync-keygen", ["-k"], 1, Stream.Err, "corosync-keygen: option requires an argument -- 'k'" },
        // Pacemaker tools: GLib options, exit 64 (CRM_EX_USAGE) for a bad command line.
        { "crm_simulate", ["--help"], 0, Stream.Out, "Usage:" },
        { "crm_simulate", ["-h"], 0, Stream.Out, "Usage:" },
        { "crm_simulate", ["-?"], 0, Stream.Out, "Usage:" },
        { "crm_simulate", ["--version"], 0, Stream.Out, "Pacemaker 2.1.5" },
        { "crm_simulate", ["-$"], 0, Stream.Out, "Pacemaker 2.1.5" },
        { "crm_simulate", ["--bogus"], 64, Stream.Err, "crm_simulate: Unknown option --bogus" },
        { "crm_simulate", ["-sZ"], 64, Stream.Err, "crm_simulate: Unknown option -Z" },
        { "crm_simulate", ["-x"], 64, Stream.Err, "crm_simulate: Missing argument for -x" },
        { "crm_simulate", ["--xml-file"], 64, Stream.Err, "crm_simulate: Missing argument for --xml-file" },
        { "crm_verify", ["--help"], 0, Stream.Out, "Usage:" },
        { "crm_verify", ["-h"], 0, Stream.Out, "Usage:" },
        { "crm_verify", ["--version"], 0, Stream.Out, "Pacemaker 2.1.5" },
        { "crm_verify", ["--bogus"], 64, Stream.Err, "crm_verify: Unknown option --bogus" },
        { "crm_verify", ["-x"], 64, Stream.Err, "crm_verify: Missing argument for -x" },
        { "crm_verify", [], 1, Stream.Err, "crm_verify: No configuration source specified.  Use --help for usage information." },
        { "crm_resource", ["--help"], 0, Stream.Out, "Usage:" },
        { "crm_resource", ["-h"], 0, Stream.Out, "Usage:" },
        { "crm_resource", ["--version"], 0, Stream.Out, "Pacemaker 2.1.5" },
        { "crm_resource", ["--bogus"], 64, Stream.Err, "crm_resource: Unknown option --bogus" },
        { "crm_resource", ["-r"], 64, Stream.Err, "crm_resource: Missing argument for -r" },
        { "crm_resource", ["--list-agents"], 64, Stream.Err, "crm_resource: Missing argument for --list-agents" },
        { "crm_verify", ["--xml-text"], 64, Stream.Err, "crm_verify: Missing argument for --xml-text" },
        // crm_mon: -h is --as-html (a file), so help is -? / --help only.
        { "crm_mon", ["--help"], 0, Stream.Out, "Usage:" },
        { "crm_mon", ["-?"], 0, Stream.Out, "Usage:" },
        { "crm_mon", ["--help-all"], 0, Stream.Out, "Usage:" },
        { "crm_mon", ["--version"], 0, Stream.Out, "Pacemaker 2.1.5" },
        { "crm_mon", ["-h"], 64, Stream.Err, "crm_mon: Missing argument for -h" },
        { "crm_mon", ["--bogus"], 64, Stream.Err, "crm_mon: Unknown option --bogus" },
        { "crm_mon", ["-1Z"], 64, Stream.Err, "crm_mon: Unknown option -Z" },
        { "crm_mon", ["-i"], 64, Stream.Err, "crm_mon: Missing argument for -i" },
        // Ours: an option of the real tool this one-shot implementation cannot honour is refused by name.
        { "crm_mon", ["-1", "--include=none"], 64, Stream.Err, "crm_mon: --include is not supported by this implementation" },
        { "crm_attribute", ["--help"], 0, Stream.Out, "Usage:" },
        { "crm_attribute", ["-h"], 0, Stream.Out, "Usage:" },
        { "crm_attribute", ["--version"], 0, Stream.Out, "Pacemaker 2.1.5" },
        { "crm_attribute", ["--bogus"], 64, Stream.Err, "crm_attribute: Unknown option --bogus" },
        { "crm_attribute", ["--scope=crm_config"], 64, Stream.Err, "crm_attribute: Unknown option --scope=crm_config" },
        { "crm_attribute", ["-n"], 64, Stream.Err, "crm_attribute: Missing argument for -n" },
        { "crm_node", ["--help"], 0, Stream.Out, "Usage:" },
        { "crm_node", ["-h"], 0, Stream.Out, "Usage:" },
        { "crm_node", ["--version"], 0, Stream.Out, "Pacemaker 2.1.5" },
        { "crm_node", ["--bogus"], 64, Stream.Err, "crm_node: Unknown option --bogus" },
        { "crm_node", ["-N"], 64, Stream.Err, "crm_node: Missing argument for -N" },
        { "crm_node", [], 64, Stream.Err, "Usage:" },
        { "attrd_updater", ["--help"], 0, Stream.Out, "Usage:" },
        { "attrd_updater", ["-h"], 0, Stream.Out, "Usage:" },
        { "attrd_updater", ["--version"], 0, Stream.Out, "Pacemaker 2.1.5" },
        { "attrd_updater", ["--bogus"], 64, Stream.Err, "attrd_updater: Unknown option --bogus" },
        { "attrd_updater", ["-n"], 64, Stream.Err, "attrd_updater: Missing argument for -n" },
        { "attrd_updater", ["-U", "1"], 64, Stream.Err, "attrd_updater: Command requires --name argument" },
        { "stonith_admin", ["--help"], 0, Stream.Out, "Usage:" },
        { "stonith_admin", ["-?"], 0, Stream.Out, "Usage:" },
        { "stonith_admin", ["--version"], 0, Stream.Out, "Pacemaker 2.1.5" },
        { "stonith_admin", ["--bogus"], 64, Stream.Err, "stonith_admin: Unknown option --bogus" },
        { "stonith_admin", ["-l"], 64, Stream.Err, "stonith_admin: Missing argument for -l" },
        { "stonith_admin", ["-F", "n", "-t", "abc"], 64, Stream.Err, "stonith_admin: Cannot parse integer value “abc” for -t" },
        { "stonith_admin", [], 64, Stream.Err, "Usage:" },
        { "pacemakerd", ["--help"], 0, Stream.Out, "Usage:" },
        { "pacemakerd", ["-?"], 0, Stream.Out, "Usage:" },
        { "pacemakerd", ["--version"], 0, Stream.Out, "Pacemaker 2.1.5" },
        { "pacemakerd", ["--bogus"], 64, Stream.Err, "pacemakerd: Unknown option --bogus" },
        { "pacemakerd", ["-Z"], 64, Stream.Err, "pacemakerd: Unknown option -Z" },
        { "pacemakerd", ["-p"], 64, Stream.Err, "pacemakerd: Missing argument for -p" },
        { "pacemakerd", ["--output-as=bogus"], 1, Stream.Err, "pacemakerd: Error creating output format bogus: Unknown output format" },
        // cibadmin: Pacemaker 2.1.5 still parses it with getopt_long; errors are followed by the usage.
        { "cibadmin", ["--help"], 0, Stream.Out, "cibadmin - query and edit the Pacemaker configuration" },
        { "cibadmin", ["-?"], 64, Stream.Err, "cibadmin - query and edit the Pacemaker configuration" },
        { "cibadmin", [], 64, Stream.Err, "cibadmin - query and edit the Pacemaker configuration" },
        { "cibadmin", ["--version"], 0, Stream.Out, "Pacemaker 2.1.5" },
        { "cibadmin", ["--vers"], 0, Stream.Out, "Pacemaker 2.1.5" },
        { "cibadmin", ["-Q", "--bogus"], 64, Stream.Err, "cibadmin: unrecognized option '--bogus'" },
        { "cibadmin", ["-Z"], 64, Stream.Err, "cibadmin: invalid option -- 'Z'" },
        { "cibadmin", ["-x"], 64, Stream.Err, "cibadmin: option requires an argument -- 'x'" },
        { "cibadmin", ["--xml-file"], 64, Stream.Err, "cibadmin: option '--xml-file' requires an argument" },
        { "cibadmin", ["--query=x"], 64, Stream.Err, "cibadmin: option '--query' doesn't allow an argument" },
        { "cibadmin", ["--x"], 64, Stream.Err, "cibadmin: option '--x' is ambiguous; possibilities: '--xml-text' '--xml-file' '--xml-pipe' '--xpath'" },
        { "cibadmin", ["-Q", "x", "y"], 64, Stream.Out, "non-option ARGV-elements: x y " },
        { "cibadmin", ["-P"], 64, Stream.Err, "cibadmin: --patch is not supported by this implementation" },
        // pcs 0.11.5 (Python getopt): errors are followed by the main usage, exit 1.
        { "pcs", ["--version"], 0, Stream.Out, "0.11.5" },
        { "pcs", ["--help"], 0, Stream.Out, "Usage: pcs [-f file] [-h] [commands]..." },
        { "pcs", ["-h"], 0, Stream.Out, "Usage: pcs [-f file] [-h] [commands]..." },
        { "pcs", [], 1, Stream.Err, "Usage: pcs [-f file] [-h] [commands]..." },
        { "pcs", ["bogus"], 1, Stream.Err, "Usage: pcs [-f file] [-h] [commands]..." },
        { "pcs", ["--bogus"], 1, Stream.Err, "Error: option --bogus not recognized" },
        { "pcs", ["-Z"], 1, Stream.Err, "Error: option -Z not recognized" },
        { "pcs", ["-f"], 1, Stream.Err, "Error: option -f requires argument" },
        { "pcs", ["--ful"], 1, Stream.Err, "Error: option --ful not a unique prefix" },
        { "pcs", ["--full=1", "status"], 1, Stream.Err, "Error: option --full must not have an argument" },
        { "pcs", ["-Z", "-100", "-f", "-5"], 1, Stream.Err, "Deprecation Warning: Using '-100' without '--' is deprecated, those parameters will be considered position independent options in future pcs versions" },
        { "pcs", ["-Z", "--", "-100"], 1, Stream.Err, "Error: option -Z not recognized" },
        { "pcs", ["resource", "bogus"], 1, Stream.Err, "Usage: pcs resource ..." },
        { "pcs", ["resource", "-h"], 0, Stream.Out, "Usage: pcs resource [commands]..." },
        // Ours: a real command group this implementation lacks.
        { "pcs", ["acl"], 1, Stream.Err, "Error: 'pcs acl' is not supported by this implementation" },
        // Our own tools: System.CommandLine.
        { "totem-sim", ["--help"], 0, Stream.Out, "Description:" },
        { "totem-sim", ["--version"], 0, Stream.Out, "3.1.7" },
        { "totem-sim", ["--bogus"], 1, Stream.Err, "Unrecognized command or argument '--bogus'." },
        { "totem-sim", ["--seeds"], 1, Stream.Err, "Required argument missing for option: '--seeds'." },
        { "crm-sim", ["--help"], 0, Stream.Out, "Description:" },
        { "crm-sim", ["--version"], 0, Stream.Out, "3.1.7" },
        { "crm-sim", ["--bogus"], 1, Stream.Err, "Unrecognized command or argument '--bogus'." },
        { "crm-sim", ["--seeds"], 1, Stream.Err, "Required argument missing for option: '--seeds'." },
        { "totem-bench", ["--help"], 0, Stream.Out, "Description:" },
        { "totem-bench", ["--version"], 0, Stream.Out, "3.1.7" },
        { "totem-bench", ["--bogus"], 1, Stream.Err, "Unrecognized command or argument '--bogus'." },
        { "totem-bench", ["--nodes"], 1, Stream.Err, "Required argument missing for option: '--nodes'." },
        // cib-bench and cluster-fuzz exit 1 for a failed check or a finding, so 64 for a bad command line.
        { "cib-bench", ["--help"], 0, Stream.Out, "Description:" },
        { "cib-bench", ["--version"], 0, Stream.Out, "2.1.5" },
        { "cib-bench", ["--bogus"], 64, Stream.Err, "Unrecognized command or argument '--bogus'." },
        { "cib-bench", ["--clients"], 64, Stream.Err, "Required argument missing for option: '--clients'." },
        { "cib-bench", ["--clients", "x"], 64, Stream.Err, "Cannot parse argument 'x' for option '--clients'" },
        { "cluster-fuzz", ["--help"], 0, Stream.Out, "Description:" },
        { "cluster-fuzz", ["--version"], 0, Stream.Out, "3.1.7" },
        { "cluster-fuzz", ["--bogus"], 64, Stream.Err, "Unrecognized command or argument '--bogus'." },
        { "cluster-fuzz", ["--seed"], 64, Stream.Err, "Required argument missing for option: '--seed'." },
        { "cluster-fuzz", ["--target", "nope"], 64, Stream.Err, "cluster-fuzz: unknown target 'nope' (config, cib, wire, ipc or all)" },
    };

    private static (int Code, string Out, string Err) Run(string tool, string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var context = new ToolContext(TextReader.Null, stdout, stderr, _ => null);
        var code = Program.Dispatch(tool, args, context).GetAwaiter().GetResult();
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Command_line_wording_and_exit_code_match_the_real_tool(string tool, string[] args, int exit, Stream stream, string firstLine)
    {
        var (code, output, error) = Run(tool, args);
        var text = stream == Stream.Out ? output : error;
        var first = text.Split('\n').FirstOrDefault(l => l.Length > 0) ?? "";
        Assert.True(exit == code && first.StartsWith(firstLine, StringComparison.Ordinal),
            $"{tool} {string.Join(' ', args)}: expected exit {exit} and '{firstLine}' on {stream}, got exit {code}\n--- stdout\n{output}--- stderr\n{error}");
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_registered_tool_is_in_the_table()
    {
        var covered = Cases().Select(row => (string)row[0]).ToHashSet(StringComparer.Ordinal);
        var missing = ToolRegistry.All.Keys.Where(name => !covered.Contains(name) && !NotCovered.ContainsKey(name)).Order(StringComparer.Ordinal);
        Assert.Empty(missing);
    }

    [Fact]
    public void Keygen_follows_an_option_error_with_its_summary_line()
    {
        var (_, output, error) = Run("corosync-keygen", ["-Z"]);
        Assert.Equal("corosync-keygen: invalid option -- 'Z'\n", error);
        Assert.Equal("Error parsing command line options.\n", output);
    }
}
