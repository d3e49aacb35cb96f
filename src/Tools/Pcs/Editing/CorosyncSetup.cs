using System.Text;

namespace Cluster.Tools.Pcs.Editing;

/// <summary>
/// <c>pcs cluster setup NAME NODE [addr=ADDR]... [transport knet|udp|udpu] [totem OPTS] [quorum OPTS]</c>
/// read into a <see cref="CorosyncSetup"/> and written as pcs 0.11.5 writes corosync.conf: totem
/// (version, cluster_name, transport, the totem options in name order, knet's crypto, the
/// cluster uuid), the nodelist with ringN_addr per address, votequorum with two_node for two
/// nodes, and the logging block.
/// </summary>
public sealed record CorosyncSetup(string ClusterName, IReadOnlyList<(string Name, IReadOnlyList<string> Addresses)> Nodes, string Transport,
    IReadOnlyList<(string Name, string Value)> Totem, IReadOnlyList<(string Name, string Value)> Quorum)
{
    public static readonly string[] TotemOptions =
    [
        "block_unlisted_ips", "consensus", "downcheck", "fail_recv_const", "heartbeat_failures_allowed", "hold", "join", "max_messages",
        "max_network_delay", "merge", "miss_count_const", "send_join", "seqno_unchanged_const", "token", "token_coefficient",
        "token_retransmit", "token_retransmits_before_loss_const", "window_size",
    ];

    public static readonly string[] QuorumOptions = ["auto_tie_breaker", "last_man_standing", "last_man_standing_window", "wait_for_all"];

    /// <summary>The setup, or pcs's errors (each without the "Error: " prefix).</summary>
    public static (CorosyncSetup? Setup, IReadOnlyList<string> Errors) Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count < 2) return (null, ["usage: pcs cluster setup <cluster name> (<node name> [addr=<node address>]...)... [transport knet|udp|udpu] [totem <totem options>] [quorum <quorum options>] --corosync_conf <path>"]);
        var errors = new List<string>();
        var nodes = new List<(string, List<string>)>();
        var totem = new List<(string, string)>();
        var quorum = new List<(string, string)>();
        var transport = "knet";
        string section = "nodes";
        for (var i = 1; i < args.Count; i++)
        {
            var word = args[i];
            if (word is "transport" or "totem" or "quorum")
            {
                section = word;
                if (word == "transport")
                {
                    if (i + 1 >= args.Count) return (null, ["transport type not specified"]);
                    transport = args[++i];
                    if (transport is not ("knet" or "udp" or "udpu"))
                        errors.Add($"'{transport}' is not a valid transport value, use 'knet', 'udp', 'udpu'");
                }
                continue;
            }
            var eq = word.IndexOf('=', StringComparison.Ordinal);
            switch (section)
            {
                case "nodes" when eq < 0:
                    nodes.Add((word, []));
                    break;
                case "nodes" when word.StartsWith("addr=", StringComparison.Ordinal) && nodes.Count > 0:
                    nodes[^1].Item2.Add(word[5..]);
                    break;
                case "totem" or "quorum" when eq > 0:
                    var (name, value) = (word[..eq], word[(eq + 1)..]);
                    var allowed = section == "totem" ? TotemOptions : QuorumOptions;
                    if (!allowed.Contains(name))
                        errors.Add($"invalid {section} option '{name}', allowed options are: {string.Join(", ", allowed.Select(a => $"'{a}'"))}");
                    else (section == "totem" ? totem : quorum).Add((name, value));
                    break;
                default:
                    errors.Add(section == "transport" ? "transport options are not supported by this implementation (knet's defaults are used)"
                        : $"invalid argument '{word}'");
                    break;
            }
        }
        foreach (var dup in nodes.GroupBy(n => n.Item1).Where(g => g.Count() > 1))
            errors.Add($"Node name '{dup.Key}' defined multiple times");
        foreach (var dup in nodes.SelectMany(n => n.Item2).GroupBy(a => a).Where(g => g.Count() > 1))
            errors.Add($"Node address '{dup.Key}' is used more than once");
        if (nodes.Count == 0) errors.Add("No nodes have been specified");
        if (errors.Count > 0) return (null, errors);
        return (new CorosyncSetup(args[0], [.. nodes.Select(n => (n.Item1, (IReadOnlyList<string>)(n.Item2.Count == 0 ? [n.Item1] : n.Item2)))],
            transport, totem, quorum), []);
    }

    /// <summary>Node names given without addr= (pcs uses the name and says so).</summary>
    public IEnumerable<string> NodesWithoutAddress(IReadOnlyList<string> args) =>
        Nodes.Where(n => n.Addresses.Count == 1 && n.Addresses[0] == n.Name && !args.Contains($"addr={n.Name}")).Select(n => n.Name);

    public string Render(string clusterUuid)
    {
        var o = new StringBuilder();
        o.Append("totem {\n    version: 2\n").Append($"    cluster_name: {ClusterName}\n    transport: {Transport}\n");
        foreach (var (n, v) in Totem.OrderBy(t => t.Name, StringComparer.Ordinal)) o.Append($"    {n}: {v}\n");
        if (Transport == "knet") o.Append("    crypto_cipher: aes256\n    crypto_hash: sha256\n");
        o.Append($"    cluster_uuid: {clusterUuid}\n}}\n\nnodelist {{\n");
        for (var i = 0; i < Nodes.Count; i++)
        {
            if (i > 0) o.Append('\n');
            o.Append("    node {\n");
            for (var a = 0; a < Nodes[i].Addresses.Count; a++) o.Append($"        ring{a}_addr: {Nodes[i].Addresses[a]}\n");
            o.Append($"        name: {Nodes[i].Name}\n        nodeid: {i + 1}\n    }}\n");
        }
        o.Append("}\n\nquorum {\n    provider: corosync_votequorum\n");
        foreach (var (n, v) in Quorum.OrderBy(q => q.Name, StringComparer.Ordinal)) o.Append($"    {n}: {v}\n");
        // votequorum's two_node does not mix with auto_tie_breaker.
        if (Nodes.Count == 2 && !Quorum.Any(q => q.Name == "auto_tie_breaker" && q.Value == "1")) o.Append("    two_node: 1\n");
        o.Append("}\n\nlogging {\n    to_logfile: yes\n    logfile: /var/log/corosync/corosync.log\n    to_syslog: yes\n    timestamp: on\n}\n");
        return o.ToString();
    }
}
