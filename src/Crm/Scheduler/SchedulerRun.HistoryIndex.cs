using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

internal sealed partial class SchedulerRun
{
    private Dictionary<WorkNode, Dictionary<string, List<LrmResource>>>? _historyIndex;

    /// <summary>
    /// The &lt;lrm_resource&gt; entries kept under <paramref name="historyId"/> on
    /// <paramref name="node"/>, in status order (a node may have more than one node_state, an id
    /// more than one entry). Built once: looking an entry up by scanning the node's whole history
    /// for every resource and interval is quadratic on large clusters.
    /// </summary>
    private IReadOnlyList<LrmResource> HistoryEntries(WorkNode node, string historyId)
    {
        if (_historyIndex is null)
        {
            var index = new Dictionary<WorkNode, Dictionary<string, List<LrmResource>>>();
            foreach (var s in _cib.Status)
            {
                if (NodeOf(s) is not { } n) continue;
                if (!index.TryGetValue(n, out var byId))
                    index[n] = byId = new Dictionary<string, List<LrmResource>>(s.Resources.Count, StringComparer.Ordinal);
                foreach (var lr in s.Resources)
                {
                    if (!byId.TryGetValue(lr.Id, out var list)) byId[lr.Id] = list = new List<LrmResource>(1);
                    list.Add(lr);
                }
            }
            _historyIndex = index;
        }
        return _historyIndex.TryGetValue(node, out var byNode) && byNode.TryGetValue(historyId, out var found) ? found : [];
    }
}
