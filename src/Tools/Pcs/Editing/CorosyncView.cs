using Cluster.Messaging.Config;

namespace Cluster.Tools.Pcs.Editing;

/// <summary>What pcs status/config read from corosync.conf: the cluster name, node names, quorum options.</summary>
public sealed record CorosyncView(string ClusterName, IReadOnlyList<string> Nodes, IReadOnlyList<(string Key, string Value)> QuorumOptions)
{
    // pcs config shows only these quorum options.
    private static readonly string[] ShownQuorumOptions = ["auto_tie_breaker", "last_man_standing", "last_man_standing_window", "wait_for_all"];

    /// <summary>Reads a corosync.conf; the error names the file (and line) when it cannot be read.</summary>
    public static (CorosyncView? View, string? Error) Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, $"Unable to read {path}: No such file or directory");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"Unable to read {path}: {e.Message}");
        }
        var parsed = CorosyncConfParser.Parse(text, path);
        if (parsed.Conf is null)
            return (null, $"Unable to parse {path}: {parsed.Error?.Message}");
        string Text(ConfigKey k) => k.Value.Format();
        var keys = parsed.Conf.Keys;
        var name = keys.FirstOrDefault(k => k.Path == "totem.cluster_name") is { } n ? Text(n) : "";
        var nodes = keys.Where(k => k.Path.StartsWith("nodelist.node.", StringComparison.Ordinal) && (k.Path.EndsWith(".name", StringComparison.Ordinal)))
            .Select(Text).ToList();
        if (nodes.Count == 0)
            nodes = keys.Where(k => k.Path.StartsWith("nodelist.node.", StringComparison.Ordinal) && k.Path.EndsWith(".ring0_addr", StringComparison.Ordinal)).Select(Text).ToList();
        var quorum = keys.Where(k => k.Path.StartsWith("quorum.", StringComparison.Ordinal) && ShownQuorumOptions.Contains(k.Path["quorum.".Length..]))
            .Select(k => (k.Path["quorum.".Length..], Text(k))).ToList();
        return (new CorosyncView(name, nodes, quorum), null);
    }
}
