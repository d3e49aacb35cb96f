using System.Globalization;
using Cluster.Crm.Cib;

namespace Cluster.Crm.Scheduler;

internal sealed partial class SchedulerRun
{
    private readonly Cib.CibDocument _cib;
    private readonly SchedulerOptions _options;
    internal readonly DateTimeOffset Now;
    internal ClusterConfig Config = null!;
    internal bool HaveQuorum;
    internal bool HaveStonithResource;
    internal readonly List<WorkNode> Nodes = [];
    private readonly Dictionary<string, WorkNode> _nodesById = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkNode> _nodesByName = new(StringComparer.Ordinal);
    /// <summary>Top-level resources in configuration order (orphans last).</summary>
    internal readonly List<WorkResource> TopResources = [];
    /// <summary>Every primitive, in configuration order (orphans last).</summary>
    internal readonly List<WorkResource> Primitives = [];
    internal readonly Dictionary<string, WorkResource> ById = new(StringComparer.Ordinal);
    internal readonly List<VerifyMessage> ConfigErrors = [];
    internal readonly List<string> ConfigWarnings = [];

    public SchedulerRun(Cib.CibDocument cib, SchedulerOptions options)
    {
        _cib = cib;
        _options = options;
        Now = options.Now ?? (cib.RootAttributes.TryGetValue("execution-date", out var ed) && long.TryParse(ed, out var secs)
            ? DateTimeOffset.FromUnixTimeSeconds(secs) : DateTimeOffset.UtcNow);
    }

    private RuleContext Ctx(IReadOnlyDictionary<string, string>? nodeAttrs = null, CibPrimitive? p = null) =>
        new(nodeAttrs, Now, p?.Class, p?.Provider, p?.Type);

    private void UnpackConfig()
    {
        var props = NvSet.Flatten(_cib.ClusterProperties, Ctx());
        Config = ClusterConfig.From(props);
        HaveQuorum = _cib.HaveQuorum ?? false;
    }

    private void UnpackNodes()
    {
        var list = new List<WorkNode>();
        foreach (var n in _cib.Nodes)
        {
            if (n.Type is "ping") continue;
            var w = new WorkNode(0, n.Id, n.Uname);
            foreach (var (k, v) in NvSet.Flatten(n.Attributes, Ctx())) w.Attributes[k] = v;
            list.Add(w);
        }
        list.Sort((a, b) => NaturalOrder.Instance.Compare(a.Uname, b.Uname));
        for (int i = 0; i < list.Count; i++)
        {
            var w = new WorkNode(i, list[i].Id, list[i].Uname);
            foreach (var kv in list[i].Attributes) w.Attributes[kv.Key] = kv.Value;
            Nodes.Add(w);
            _nodesById.TryAdd(w.Id, w);
            _nodesByName.TryAdd(w.Uname, w);
        }
        var clusterName = NvSet.Flatten(_cib.ClusterProperties, Ctx()).GetValueOrDefault("cluster-name");
        foreach (var w in Nodes)
        {
            // Rules may name the cluster and the node's site (its site-name attribute, else the cluster's name).
            if (clusterName is not null) w.Attributes["#cluster-name"] = clusterName;
            if ((w.Attributes.GetValueOrDefault("site-name") ?? clusterName) is { } site) w.Attributes["#site-name"] = site;
            // Until a node_state says otherwise, a node is unseen (and unclean with startup-fencing).
            w.Unseen = true;
            w.Unclean = Config.StartupFencing;
            w.Attributes["#uname"] = w.Uname;
            w.Attributes["#id"] = w.Id;
            w.Attributes["#kind"] = "cluster";
            w.Attributes["#is_dc"] = _cib.RootAttributes.TryGetValue("dc-uuid", out var dc) && dc == w.Id ? "true" : "false";
        }
    }

    internal WorkNode? FindNode(string? idOrName) =>
        idOrName is null ? null : _nodesById.GetValueOrDefault(idOrName) ?? _nodesByName.GetValueOrDefault(idOrName);

    private WorkNode? NodeOf(NodeStatus s) =>
        (s.Id.Length > 0 ? _nodesById.GetValueOrDefault(s.Id) : null) ?? (s.Uname is null ? null : _nodesByName.GetValueOrDefault(s.Uname));

    private void UnpackNodeStates()
    {
        foreach (var s in _cib.Status)
        {
            var node = NodeOf(s);
            if (node is null) continue;
            node.Unseen = false;
            node.Unclean = false;
            foreach (var (k, v) in NvSet.Flatten(s.TransientAttributes, Ctx())) node.Attributes[k] = v;
            node.ExpectedUp = s.Expected == "member";
            if (node.Attributes.TryGetValue("shutdown", out var sd) && sd != "0" && sd.Length > 0) node.Shutdown = true;
            bool online = Config.StonithEnabled ? OnlineWithFencing(node, s) : OnlineWithoutFencing(node, s);
            node.Online = online;
        }
        if (!HaveQuorum && Config.NoQuorumPolicy == "suicide" && Config.StonithEnabled
            && _cib.RootAttributes.TryGetValue("no-quorum-panic", out var panic) && Truth.IsTrue(panic))
            foreach (var node in Nodes.Where(n => n.Online)) Fence(node, "cluster does not have quorum");
        foreach (var node in Nodes)
        {
            // Standby and maintenance are read when the node's status is unpacked: unseen nodes have neither.
            if (!node.Unseen && node.Attributes.TryGetValue("standby", out var sb) && Truth.IsTrue(sb)) node.Standby = true;
            if (!node.Unseen && node.Attributes.TryGetValue("maintenance", out var mt) && Truth.IsTrue(mt)) node.Maintenance = true;
            if (node.Unseen && node.Unclean) node.FenceReason ??= "node is unclean";
            if (!Config.StonithEnabled && node.Unseen) node.Unclean = false;
        }
    }

    private int _fenceOrder;

    private void Fence(WorkNode node, string reason)
    {
        if (!node.Unclean) node.FenceReason = reason;
        node.Unclean = true;
        // Pacemaker creates a node's fencing as it unpacks the status: membership first, then
        // the nodes' histories in status order (offline nodes wait for a later pass only when
        // fencing is disabled, and then they are never unpacked). The order of creation is the
        // order the summary lists them in (newest first).
        node.FenceOrder ??= ++_fenceOrder;
    }

    private static bool IsTrueOrTime(string? s) => Truth.IsTrue(s) || (s is not null && long.TryParse(s, out var v) && v > 0);

    private bool OnlineWithoutFencing(WorkNode node, NodeStatus s)
    {
        if (!IsTrueOrTime(s.InCcm)) return false;
        if (string.Equals(s.Crmd, "online", StringComparison.OrdinalIgnoreCase) || IsTrueOrTime(s.Crmd) && s.Crmd != "offline")
            return s.Join == "member";
        if (!node.ExpectedUp) return false;
        Fence(node, "peer is unexpectedly down");
        return false;
    }

    private bool OnlineWithFencing(WorkNode node, NodeStatus s)
    {
        bool terminate = node.Attributes.TryGetValue("terminate", out var t) && (Truth.IsTrue(t) || (long.TryParse(t, out var tv) && tv > 0));
        bool crmdOnline = string.Equals(s.Crmd, "online", StringComparison.OrdinalIgnoreCase);
        bool inCluster = IsTrueOrTime(s.InCcm);
        var exp = s.Expected ?? "down";
        var join = s.Join;
        if (node.Shutdown)
            return crmdOnline;
        if (s.InCcm is null) { Fence(node, "peer has not been seen by the cluster"); return false; }
        if (join is "nack" or "banned") { Fence(node, "peer failed Pacemaker membership criteria"); node.ShownOnline = inCluster || crmdOnline; return false; }
        if (!terminate && exp == "down")
        {
            if (inCluster || crmdOnline) { node.Pending = true; return true; }
            return false;
        }
        if (terminate && join == "down" && !inCluster && !crmdOnline) return false;
        if (!inCluster) { Fence(node, "peer is no longer part of the cluster"); return false; }
        if (!crmdOnline) { Fence(node, "peer process is no longer available"); node.ShownOnline = true; return false; }
        if (terminate) { Fence(node, "termination was requested"); return true; }
        if (join == "member") return true;
        if (join is "pending" or "down") { node.Pending = true; return true; }
        Fence(node, "peer was in an unknown state");
        return false;
    }

    private Dictionary<string, string> MetaFor(CibResource r, WorkResource? parent, CibPrimitive? p)
    {
        var meta = NvSet.Flatten(r.MetaAttributes, Ctx(null, p));
        if (parent is not null)
            foreach (var kv in parent.Meta) meta.TryAdd(kv.Key, kv.Value);
        else
            NvSet.Flatten(_cib.RscDefaults, Ctx(null, p), meta);
        return meta;
    }

    private void UnpackResources()
    {
        int index = 0;
        foreach (var r in _cib.Resources)
        {
            switch (r)
            {
                case CibPrimitive p:
                    TopResources.Add(AddPrimitive(p, null, index++));
                    break;
                case CibGroup g:
                    {
                        var gw = new WorkResource(g.Id, null, index++) { Meta = MetaFor(g, null, null) };
                        ApplyMeta(gw);
                        ById[g.Id] = gw;
                        foreach (var m in g.Members)
                            gw.Children.Add(AddPrimitive(m, gw, index++));
                        TopResources.Add(gw);
                        break;
                    }
                case CibClone c:
                    TopResources.Add(AddClone(c, ref index));
                    break;
            }
        }
        HaveStonithResource = Primitives.Any(p => p.IsStonith);
        if (Config.StonithEnabled && !HaveStonithResource)
        {
            ConfigErrors.Add(new VerifyMessage("unpack_resources", "Resource start-up disabled since no STONITH resources have been defined"));
            ConfigErrors.Add(new VerifyMessage("unpack_resources", "Either configure some or disable STONITH with the stonith-enabled option"));
            ConfigErrors.Add(new VerifyMessage("unpack_resources", "NOTE: Clusters with shared data need STONITH to ensure data integrity"));
        }
    }

    private WorkResource AddPrimitive(CibPrimitive p, WorkResource? parent, int index, string? id = null)
    {
        var w = new WorkResource(id ?? p.Id, p, index) { Parent = parent, Meta = MetaFor(p, parent, p) };
        ApplyMeta(w);
        ById[w.Id] = w;
        Primitives.Add(w);
        return w;
    }

    private void ApplyMeta(WorkResource w)
    {
        string? G(string n) => w.Meta.TryGetValue(n, out var v) ? v : null;
        w.Priority = Score.Parse(G("priority")).Value;
        w.Stickiness = G("resource-stickiness") is { } st ? Score.Parse(st)
            : G("default-resource-stickiness") is { } dst ? Score.Parse(dst) : Config.DefaultStickiness;
        w.TargetRole = RoleNames.Parse(G("target-role"));
        var managed = G("is-managed") is { } m ? Truth.IsTrue(m) : Config.IsManagedDefault ?? true;
        if (G("maintenance") is { } mm && Truth.IsTrue(mm)) { managed = false; w.InMaintenance = true; }
        if (Config.MaintenanceMode) { managed = false; w.InMaintenance = true; }
        w.Managed = managed;
        if (G("migration-threshold") is { } mt) w.MigrationThreshold = Score.Parse(mt).Value;
        // Pacemaker holds the interval in an unsigned 32-bit count of milliseconds (at most ~49.7 days).
        if (G("failure-timeout") is { } ft) w.FailureTimeoutMs = Math.Min(Duration.ParseMs(ft) ?? 0, uint.MaxValue);
        w.MultipleActive = G("multiple-active") ?? "stop_start";
        // Fence devices need quorum but not fencing.
        // Without fencing, no-quorum-policy=ignore makes quorum irrelevant: Pacemaker's default is
        // then "nothing" (which also drops a reason given to the start before placement).
        w.Requires = G("requires") ?? (w.IsStonith ? "quorum" : Config.StonithEnabled ? "fencing"
            : Config.NoQuorumPolicy == "ignore" ? "nothing" : "quorum");
    }

    private static long ParseLong(string? s) => long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
}
