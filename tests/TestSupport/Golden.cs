using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Cluster.TestSupport;

/// <summary>A golden output of the real tools (../shared/golden): line 1 the command, line 2 where/when, then output, then exit status.</summary>
public sealed partial record Golden(string Command, string Output, int ExitStatus)
{
    public static Golden Load(string name)
    {
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Shared, "golden", name));
        var status = int.Parse(lines[^1]["# exit status: ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        return new Golden(lines[0][2..], string.Concat(lines[2..^1].Select(l => l + "\n")), status);
    }

    /// <summary>The golden CIB (pcs cluster cib after the walkthrough).</summary>
    public static XElement FinalCib()
    {
        var text = Load("pcs-cluster-cib.txt").Output;
        return XElement.Parse(text[text.IndexOf("<cib", StringComparison.Ordinal)..]);
    }

    /// <summary>
    /// What differs between a live run and a run on a file, removed from both sides: the clock,
    /// pacemakerd's status line and the daemon block (a file has no daemons).
    /// </summary>
    public static string Normalise(string text)
    {
        text = LastUpdated().Replace(text, "Last updated: X");
        text = PacemakerdLine().Replace(text, "");
        var daemon = text.IndexOf("\nDaemon Status:\n", StringComparison.Ordinal);
        return daemon >= 0 ? text[..(daemon + 1)].TrimEnd('\n') + "\n" : text;
    }

    [GeneratedRegex("Last updated: .*")]
    private static partial Regex LastUpdated();

    [GeneratedRegex("Status of pacemakerd: .*\n")]
    private static partial Regex PacemakerdLine();
}
