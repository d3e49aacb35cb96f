using System.Globalization;
using System.Text;

namespace Cluster.EndToEnd.Tests.Harness;

/// <summary>The shape of a test cluster: node count, timers, quorum options, crypto.</summary>
public sealed record ClusterSpec
{
    public int Nodes { get; init; } = 3;
    /// <summary>The last byte of node 1's 127.0.0.x address in a no-root cluster (node N gets FirstAddress + N - 1), so that tests can keep to their own addresses.</summary>
    public int FirstAddress { get; init; } = 1;
    public int Token { get; init; } = 1000;
    public bool TwoNode { get; init; }
    public bool Crypto { get; init; }
    /// <summary>Extra lines inside quorum {}.</summary>
    public string QuorumExtra { get; init; } = "";
    /// <summary>Lines inside a system {} section (none when empty).</summary>
    public string SystemExtra { get; init; } = "";

    /// <summary>corosync.conf for one node; <paramref name="localPos"/> set in no-root mode (all nodes share one host name).</summary>
    public string Config(IReadOnlyList<string> addresses, int port, int? localPos)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append(inv, $"totem {{\n    version: 2\n    cluster_name: e2e\n    transport: udpu\n    token: {Token}\n");
        if (Crypto)
            sb.Append("    crypto_cipher: aes256\n    crypto_hash: sha256\n");
        sb.Append(inv, $"    interface {{\n        linknumber: 0\n        mcastport: {port}\n    }}\n}}\n\nnodelist {{\n");
        if (localPos is { } pos)
            sb.Append(inv, $"    local_node_pos: {pos}\n");
        for (int i = 0; i < addresses.Count; i++)
            sb.Append(inv, $"    node {{\n        ring0_addr: {addresses[i]}\n        name: node{i + 1}\n        nodeid: {i + 1}\n    }}\n");
        sb.Append("}\n\nquorum {\n    provider: corosync_votequorum\n");
        if (TwoNode)
            sb.Append("    two_node: 1\n");
        sb.Append(QuorumExtra);
        if (SystemExtra.Length > 0)
            sb.Append("}\n\nsystem {\n").Append(SystemExtra);
        sb.Append("}\n\nlogging {\n    to_logfile: yes\n    logfile: /var/log/cluster/corosync.log\n    to_stderr: yes\n    to_syslog: no\n    timestamp: hires\n}\n");
        return sb.ToString();
    }
}
