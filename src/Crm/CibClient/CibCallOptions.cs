namespace Cluster.Crm.CibClient;

/// <summary>Flags of a CIB request, as cibadmin's options set them.</summary>
[Flags]
public enum CibCallOptions
{
    None = 0,
    /// <summary>Answer from this node's copy without asking the cluster (--local).</summary>
    Local = 1,
    /// <summary>Allow a dangerous request such as erase (--force).</summary>
    Force = 2,
    /// <summary>Modify: create the target when it does not exist (--allow-create).</summary>
    AllowCreate = 4,
    /// <summary>Delete/modify every match of the xpath, not only the first (--delete-all / multiple).</summary>
    Multiple = 8,
    /// <summary>Do not bump epoch/num_updates (--no-bcast/--no-version-check style internal use).</summary>
    NoVersionBump = 16,
    /// <summary>An xpath query answers with the path of each match (--node-path): &lt;xpath-query&gt;&lt;xpath-query-path path=…/&gt;.</summary>
    XPathAddress = 32,
}
