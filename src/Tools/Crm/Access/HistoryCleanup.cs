using System.Xml.Linq;
using Cluster.Crm.CibClient;

namespace Cluster.Tools.Crm.Access;

/// <summary>
/// `crm_resource --cleanup` / `--refresh` (and pcs resource cleanup / refresh) on the live
/// cluster: the CIB deletions that clear a resource's failures (fail counts, last-failure
/// entries) or its whole history on some nodes. The DC sees the change and schedules again
/// (re-probing what lost its history).
/// </summary>
public static class HistoryCleanup
{
    /// <summary>The nodes touched and the requests to send, for one resource (or every resource when null).</summary>
    public static (IReadOnlyList<string> Nodes, IReadOnlyList<CibRequest> Requests) Plan(XElement cib, string? resource, string? node, bool refresh)
    {
        ArgumentNullException.ThrowIfNull(cib);
        var nodes = new List<string>();
        var requests = new List<CibRequest>();
        foreach (var state in cib.Element("status")?.Elements("node_state") ?? [])
        {
            var uname = (string?)state.Attribute("uname") ?? "";
            var id = (string?)state.Attribute("id") ?? "";
            if (node is not null && uname != node) continue;
            if (!Safe(id) || (resource is not null && !Safe(resource))) continue;
            var historyOf = resource is null
                ? "lrm_resource"
                : $"lrm_resource[@id='{resource}' or starts-with(@id,'{resource}:')]";
            var rscAttribute = resource is null ? "" : resource;
            requests.Add(new CibRequest(CibCommand.Delete, Options: CibCallOptions.Multiple,
                XPath: $"/cib/status/node_state[@id='{id}']/transient_attributes/instance_attributes/nvpair[starts-with(@name,'fail-count-{rscAttribute}') or starts-with(@name,'last-failure-{rscAttribute}')]"));
            requests.Add(new CibRequest(CibCommand.Delete, Options: CibCallOptions.Multiple,
                XPath: refresh
                    ? $"/cib/status/node_state[@id='{id}']/lrm/lrm_resources/{historyOf}"
                    : $"/cib/status/node_state[@id='{id}']/lrm/lrm_resources/{historyOf}/lrm_rsc_op[contains(@id,'_last_failure_')]"));
            nodes.Add(uname);
        }
        return (nodes, requests);
    }

    // Ids from the CIB are XML ids; a quote would end the xpath literal.
    private static bool Safe(string s) => !s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal);
}
