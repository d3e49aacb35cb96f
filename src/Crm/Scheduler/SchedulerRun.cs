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

    /// <summary>Pacemaker's digest verdict for one history entry against the current configuration.</summary>
    private Digests.DigestVerdict DigestVerdictOf(WorkResource r, WorkNode n, Cib.LrmOp op)
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
