namespace Cluster.Crm.Controller;

/// <summary>node_state <c>crmd</c>: whether the node's controller is in the <c>crmd</c> group.</summary>
public enum CrmdState { Offline, Online }

/// <summary>node_state <c>join</c>.</summary>
public enum JoinState { Down, Pending, Member, Banned }

/// <summary>node_state <c>expected</c>: member while it should be up, down after a clean shutdown.</summary>
public enum ExpectedState { Member, Down }

/// <summary>
/// The fields of one <c>node_state</c> the DC sets in one CIB update; null leaves a field as it is.
/// Written as Pacemaker 2.1.5 writes them: <c>in_ccm="true"</c>, <c>crmd="online"</c>,
/// <c>join="member"</c>, <c>expected="member"</c>.
/// </summary>
public sealed record NodeStateUpdate(string Node, bool? InCcm = null, CrmdState? Crmd = null, JoinState? Join = null, ExpectedState? Expected = null)
{
    /// <summary>The attributes to set, as name/value pairs in Pacemaker's spelling.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Attributes()
    {
        var list = new List<KeyValuePair<string, string>>();
        if (InCcm is { } ccm)
            list.Add(new("in_ccm", ccm ? "true" : "false"));
        if (Crmd is { } crmd)
            list.Add(new("crmd", crmd == CrmdState.Online ? "online" : "offline"));
        if (Join is { } join)
            list.Add(new("join", join.ToString().ToLowerInvariant()));
        if (Expected is { } expected)
            list.Add(new("expected", expected.ToString().ToLowerInvariant()));
        return list;
    }
}
