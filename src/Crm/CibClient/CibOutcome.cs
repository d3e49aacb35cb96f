using System.Xml.Linq;

namespace Cluster.Crm.CibClient;

/// <summary>
/// What applying a request did: the reply for the client, and the new CIB when the request
/// changed it (null: nothing changed, nothing to write or replicate).
/// </summary>
public sealed record CibOutcome(CibReply Reply, XElement? Cib)
{
    public bool Changed => Cib is not null;

    /// <summary>The change touched more than the status section and the bookkeeping root attributes.</summary>
    public bool ConfigChanged { get; init; }
}
