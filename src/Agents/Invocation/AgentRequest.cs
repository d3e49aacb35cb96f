namespace Cluster.Agents.Invocation;

/// <summary>One action to run on one resource's agent.</summary>
public sealed record AgentRequest(AgentId Agent, string Action, string ResourceId)
{
    /// <summary>Instance attributes: become OCF_RESKEY_name (OCF) or stdin lines (fence).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    /// <summary>Meta attributes and op properties: OCF_RESKEY_CRM_meta_name with '-' as '_'.</summary>
    public IReadOnlyDictionary<string, string> Meta { get; init; } = new Dictionary<string, string>();

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Zero for one-shot actions and probes.</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Whether <paramref name="id"/> can be given to an agent: agents build file names from
    /// OCF_RESOURCE_INSTANCE (Dummy's state file), so '/' or '..' would let a name such as
    /// <c>../../..</c> reach outside the agent's state directory (and HA_ROOT).
    /// </summary>
    public static bool IsSafeResourceId(string id) =>
        AgentId.IsSafeName(id) && !id.Any(char.IsControl);

    /// <summary>The OCF code that counts as success (7 for a probe expecting "stopped").</summary>
    public int ExpectedRc { get; init; }
}
