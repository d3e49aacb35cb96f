using System.Collections.Immutable;

namespace Cluster.Messaging.Totem;

/// <summary>
/// Configuration of one Totem node: who it is, the configured node list and the protocol
/// constants, with corosync 3.1 defaults. Times are in milliseconds as in corosync.conf; the
/// derived (effective) timers follow corosync's formulas (messaging-spec §2.8.7).
/// </summary>
public sealed record TotemOptions
{
    public required NodeId LocalNode { get; init; }

    /// <summary>Every node of the nodelist (the local one included); broadcasts reach these.</summary>
    public required ImmutableArray<NodeId> Nodes { get; init; }

    public int Token { get; init; } = 3000;
    public int TokenCoefficient { get; init; } = 650;
    public int TokenRetransmitsBeforeLoss { get; init; } = 4;
    /// <summary>Explicit token_retransmit; null = derived from the effective token.</summary>
    public int? TokenRetransmitOverride { get; init; }
    /// <summary>Explicit hold; null = derived.</summary>
    public int? HoldOverride { get; init; }
    /// <summary>Explicit consensus; null = 1.2 x effective token.</summary>
    public int? ConsensusOverride { get; init; }
    public int Join { get; init; } = 50;
    public int Merge { get; init; } = 200;
    public int Downcheck { get; init; } = 1000;
    public int FailReceiveConst { get; init; } = 2500;
    public int SeqnoUnchangedConst { get; init; } = 30;
    public int MissCountConst { get; init; } = 5;
    public int WindowSize { get; init; } = 50;
    public int MaxMessages { get; init; } = 17;
    public int NetMtu { get; init; } = 1500;

    /// <summary>Largest application message accepted by Submit (totempg's practical limit).</summary>
    public int MaxMessageSize { get; init; } = 1024 * 1024;

    /// <summary>Bytes of application messages that may wait in the send queue before Submit refuses.</summary>
    public int SendQueueBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Emit debug log lines (state transitions); off by default to keep simulations cheap.</summary>
    public bool LogDebug { get; init; }

    /// <summary>Emit a line whenever this node re-multicasts frames others asked for.</summary>
    public bool LogRetransmits { get; init; }

    /// <summary>Effective token: token + (N-2) x token_coefficient when the nodelist has N >= 3 nodes.</summary>
    public int EffectiveToken =>
        Nodes.Length >= 3 && TokenCoefficient > 0 ? Token + (Nodes.Length - 2) * TokenCoefficient : Token;

    public int TokenRetransmit =>
        TokenRetransmitOverride ?? (int)(EffectiveToken / (TokenRetransmitsBeforeLoss + 0.2));

    public int Hold => HoldOverride ?? Math.Max(1, (int)(TokenRetransmit * 0.8 - 10));

    public int Consensus => ConsensusOverride ?? (int)(float)(1.2 * EffectiveToken);

    /// <summary>Largest payload of one totem frame (netmtu minus corosync's 2 x 45-byte headers).</summary>
    public int FramePayload => Math.Max(64, NetMtu - 90);

    /// <summary>Checks the constraints corosync enforces at startup; returns the first error or null.</summary>
    public string? Validate()
    {
        if (LocalNode.Value == 0) return "local node id must not be 0";
        if (Nodes.IsDefaultOrEmpty || !Nodes.Contains(LocalNode)) return $"local node {LocalNode} is not in the node list";
        if (Nodes.Any(n => n.Value == 0)) return "node id 0 is reserved";
        if (Nodes.Distinct().Count() != Nodes.Length) return "duplicate node id in the node list";
        if (Token < 30 || TokenRetransmit < 30 || Join < 30 || Merge < 30 || Consensus < 30)
            return "token, token_retransmit, join, consensus and merge must be at least 30 ms";
        if (Hold < 14 && HoldOverride is not null) return "hold must be at least 14 ms";
        if (Consensus < Join) return "consensus must be at least join";
        if (WindowSize < 1 || MaxMessages < 1) return "window_size and max_messages must be positive";
        return null;
    }
}
