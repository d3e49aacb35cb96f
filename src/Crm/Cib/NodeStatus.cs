namespace Cluster.Crm.Cib;

/// <summary>One &lt;lrm_rsc_op&gt; history entry.</summary>
public sealed record LrmOp(
    string Id, string Operation, string? OperationKey, long IntervalMs, int CallId, int RcCode, int OpStatus,
    string? OpDigest, string? TransitionKey, string? TransitionMagic, long LastRcChange, string? ExitReason,
    IReadOnlyDictionary<string, string> Attributes)
{
    /// <summary>The typed fields from an element's attributes (both CIB readers use this one mapping).</summary>
    internal static LrmOp FromAttributes(AttributeMap a) => new(
        a.Get("id") ?? "", a.Get("operation") ?? "", a.Get("operation_key"),
        long.TryParse(a.Get("interval"), out var iv) ? iv : 0,
        int.TryParse(a.Get("call-id"), out var cid) ? cid : -1,
        int.TryParse(a.Get("rc-code"), out var rc) ? rc : 0,
        int.TryParse(a.Get("op-status"), out var os) ? os : 0,
        a.Get("op-digest"), a.Get("transition-key"), a.Get("transition-magic"),
        long.TryParse(a.Get("last-rc-change"), out var lrc) ? lrc : (long.TryParse(a.Get("last-run"), out var lrun) ? lrun : 0),
        a.Get("exit-reason"),
        a);

    /// <summary>
    /// The rc the operation was expected to return: the third field of its transition key
    /// ("action:transition:target-rc:uuid"); without one, 7 for a probe and 0 otherwise.
    /// </summary>
    public int ExpectedRc()
    {
        // Parsed in place (no Split per entry): the scheduler calls this for every history entry.
        var key = TransitionKey.AsSpan();
        var first = key.IndexOf(':');
        if (first >= 0)
        {
            var rest = key[(first + 1)..];
            var second = rest.IndexOf(':');
            if (second >= 0)
            {
                var field = rest[(second + 1)..];
                var end = field.IndexOf(':');
                if (int.TryParse(end < 0 ? field : field[..end], out var target)) return target;
            }
        }
        return Operation == "monitor" && IntervalMs == 0 ? 7 : 0;
    }
}

/// <summary>One &lt;lrm_resource&gt;: the history of a resource on a node.</summary>
public sealed record LrmResource(string Id, string? Class, string? Provider, string? Type, IReadOnlyList<LrmOp> Ops);

/// <summary>A &lt;node_state&gt; entry of the status section.</summary>
public sealed record NodeStatus(
    string Id, string? Uname, string? InCcm, string? Crmd, string? Join, string? Expected,
    IReadOnlyList<NvSet> TransientAttributes, IReadOnlyList<LrmResource> Resources, bool HasLrm);
