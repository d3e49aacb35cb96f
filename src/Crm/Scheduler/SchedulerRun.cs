namespace Cluster.Crm.Scheduler;

internal sealed partial class SchedulerRun
{
    public ScheduleResult Run()
    {
        UnpackConfig();
        UnpackNodes();
        UnpackNodeStates();
        UnpackResources();
        UnpackHistory();
        UnpackFailCounts();
        if (Config.StonithEnabled && !HaveStonithResource)
            foreach (var r in Primitives.Where(r => r.Managed)) { r.Managed = false; r.StartupDisabled = true; }
        CheckDigests();
        InitScores();
        ApplyLocations();
        ApplyStickinessAndFailures();
        AddGroupInternals();
        AddCloneGroupInternals();
        UnpackColocations();
        SortColocationLists();
        AssignAll();
        CreateUnpackActions();
        CreateCleanups();
        CreateOrphanFailcountClears();
        CreateHistoryCancels();
        CreateFencing();
        CreateResourceActions();
        OrderStopsBeforeShutdown();
        CreateGroupPseudoActions();
        CreateCloneActions();
        CreatePromotionActions();
        ApplyOrderConstraints();
        PropagateWithColocationBlocking();
        BuildSummary();
        CreateReloads();
        CreateRecurringMonitors();
        OrderMonitorsAfterReloads();
        OrderCleanups();
        return new ScheduleResult(this, BuildGraph());
    }

    /// <summary>Whether an operation's recorded digests differ from the resource's current configuration.</summary>
    private bool DigestChanged(WorkResource r, WorkNode n, Cib.LrmOp op) =>
        DigestVerdictOf(r, n, op) != Digests.DigestVerdict.Match;

    /// <summary>
    /// Verdicts already computed: the history checks, the cancels and the recurring monitors ask
    /// about the same entries, and a digest costs a canonical parameter string and an MD5.
    /// History entries are keyed by reference (a record's equality compares every field).
    /// </summary>
    private readonly Dictionary<(WorkResource, WorkNode, object), Digests.DigestVerdict> _digestVerdicts =
        new(DigestKeyComparer.Instance);

    /// <summary>Pacemaker's digest verdict for one history entry against the current configuration.</summary>
    private Digests.DigestVerdict DigestVerdictOf(WorkResource r, WorkNode n, Cib.LrmOp op)
    {
        if (_digestVerdicts.TryGetValue((r, n, op), out var known)) return known;
        return _digestVerdicts[(r, n, op)] = ComputeDigestVerdict(r, n, op);
    }

    private sealed class DigestKeyComparer : IEqualityComparer<(WorkResource, WorkNode, object)>
    {
        public static readonly DigestKeyComparer Instance = new();

        public bool Equals((WorkResource, WorkNode, object) x, (WorkResource, WorkNode, object) y) =>
            ReferenceEquals(x.Item1, y.Item1) && ReferenceEquals(x.Item2, y.Item2) && ReferenceEquals(x.Item3, y.Item3);

        public int GetHashCode((WorkResource, WorkNode, object) key) =>
            HashCode.Combine(Identity(key.Item1), Identity(key.Item2), Identity(key.Item3));

        private static int Identity(object o) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(o);
    }

    private Digests.DigestVerdict ComputeDigestVerdict(WorkResource r, WorkNode n, Cib.LrmOp op)
    {
        if (r.Primitive is not { } p) return Digests.DigestVerdict.Match;
        _cib.RootAttributes.TryGetValue("crm_feature_set", out var featureSet);
        var parameters = InheritCloneParameters(r, Cib.NvSet.Flatten(p.InstanceAttributes, Ctx(n.Attributes, p)), Ctx(n.Attributes, p)).ToList();
        var cfgOp = p.Operations.FirstOrDefault(o => o.Name == op.Operation && o.IntervalMs == op.IntervalMs);
        var opParams = cfgOp is null ? [] : Cib.NvSet.Flatten(cfgOp.InstanceAttributes, Ctx(n.Attributes, p)).ToList();
        // Recurring operations' digests cover their timeout too.
        string? timeout = null;
        if (cfgOp is not null && !cfgOp.Attributes.TryGetValue("timeout", out timeout)
            && !Cib.NvSet.Flatten(cfgOp.MetaAttributes, Ctx(n.Attributes, p)).TryGetValue("timeout", out timeout))
            Cib.NvSet.Flatten(_cib.OpDefaults, Ctx(n.Attributes, p)).TryGetValue("timeout", out timeout);
        var input = new Digests.OpDigestInput(op.Operation, op.IntervalMs, parameters, opParams,
            Digests.TimeSpec.TimeoutMsOrDefault(timeout), IsStonith: r.IsStonith);
        string? A(string k) => op.Attributes.TryGetValue(k, out var v) ? v : null;
        var recorded = new Digests.RecordedDigests(op.OpDigest, A("op-restart-digest"), A("op-force-restart"),
            A("op-secure-digest"), A("op-secure-params"), A("crm_feature_set"));
        return Digests.OpDigest.Compare(input, recorded, sanitized: true, featureSet).Verdict;
    }
}
