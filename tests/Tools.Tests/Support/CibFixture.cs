using System.Xml.Linq;
using Cluster.Tools.Crm.Access;
using Cluster.Tools.Dispatch;
using Cluster.Tools.Pcs;
using Cluster.TestSupport;

namespace Cluster.Tools.Tests.Support;

/// <summary>
/// A CIB file in a temporary directory and the tools run in-process on it (pcs -f, CIB_file=),
/// with the shipped agents.
/// </summary>
public sealed class CibFixture : IDisposable
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("tools-tests-").FullName;

    public string File => Path.Combine(Dir, "cib.xml");

    public string CorosyncConf => Path.Combine(Dir, "corosync.conf");

    public void Dispose() => Directory.Delete(Dir, recursive: true);

    /// <summary>
    /// The walkthrough's starting point: the golden cluster (two nodes, their status, stonith
    /// disabled) before any resource, constraint, default or no-quorum-policy was configured.
    /// </summary>
    public CibFixture WithWalkthroughStart()
    {
        var cib = Golden.FinalCib();
        var config = cib.Element("configuration")!;
        config.Element("resources")!.RemoveNodes();
        config.Element("constraints")!.RemoveNodes();
        config.Element("rsc_defaults")!.Remove();
        config.Descendants("nvpair").Where(p => (string?)p.Attribute("name") == "no-quorum-policy").Remove();
        CibText.Write(File, cib);
        System.IO.File.WriteAllText(CorosyncConf,
            "totem {\n  version: 2\n  cluster_name: anchor\n  transport: knet\n}\n\nnodelist {\n  node {\n    ring0_addr: node1\n    name: node1\n    nodeid: 1\n  }\n"
            + "  node {\n    ring0_addr: node2\n    name: node2\n    nodeid: 2\n  }\n}\n\nquorum {\n  provider: corosync_votequorum\n  two_node: 1\n}\n");
        return this;
    }

    /// <summary>The golden CIB as it is after the walkthrough.</summary>
    public CibFixture WithFinalCib()
    {
        WithWalkthroughStart();
        CibText.Write(File, Golden.FinalCib());
        return this;
    }

    public string Text => System.IO.File.ReadAllText(File);

    private Dictionary<string, string> Env => new()
    {
        ["HA_AGENTS_DIR"] = Path.Combine(RepoPaths.Root, "agents"),
        ["HA_ROOT"] = Dir,
        ["CIB_file"] = File,
    };

    /// <summary>Runs "pcs -f FILE ARGS" (a command line as typed, shell-like quotes allowed).</summary>
    public Task<(int Exit, string Out, string Err)> Pcs(string commandLine) => Run(PcsTool.Entry, ["-f", File, .. Split(commandLine)]);

    public Task<(int Exit, string Out, string Err)> Tool(string commandLine)
    {
        var words = Split(commandLine);
        var entry = ToolRegistry.All[words[0]];
        return Run(entry, words[1..]);
    }

    private async Task<(int Exit, string Out, string Err)> Run(ToolEntry tool, string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var env = Env;
        var context = new ToolContext(TextReader.Null, output, error, name => env.GetValueOrDefault(name));
        var exit = await tool.Run(context, args);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Splits like a shell for the goldens' command lines: spaces, "double quotes".</summary>
    public static string[] Split(string line)
    {
        var words = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false, any = false;
        foreach (var c in line)
        {
            if (c == '"') { quoted = !quoted; any = true; continue; }
            if (c == ' ' && !quoted)
            {
                if (any) words.Add(current.ToString());
                current.Clear();
                any = false;
                continue;
            }
            current.Append(c);
            any = true;
        }
        if (any) words.Add(current.ToString());
        return [.. words];
    }

    /// <summary>The &lt;configuration&gt; of a CIB as text, for comparing two CIBs' configurations.</summary>
    public static string Configuration(XElement cib) => CibText.Format(cib.Element("configuration")!);
}
