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
            foreach (var r in Primitives) r.Managed = false;
        CheckDigests();
        InitScores();
        ApplyLocations();
        ApplyStickinessAndFailures();
        AddGroupInternals();
        UnpackColocations();
        AssignAll();
        CreateFencing();
        CreateResourceActions();
        ApplyOrderConstraints();
        Propagate();
        BuildSummary();
        return new ScheduleResult(this);
    }

    /// <summary>A running resource whose recorded start digest no longer matches its configuration is restarted.</summary>
    private void CheckDigests()
    {
        if (!_options.CheckDigests) return;
        _cib.RootAttributes.TryGetValue("crm_feature_set", out var featureSet);
        foreach (var (r, n, op) in DigestRestarts)
        {
            if (r.Primitive is not { } p || r.Orphan || r.RunningOn.Count != 1 || !r.Managed) continue;
            var parameters = Cib.NvSet.Flatten(p.InstanceAttributes, Ctx(n.Attributes, p)).ToList();
            var cfgOp = p.Operations.FirstOrDefault(o => o.Name == op.Operation && o.IntervalMs == op.IntervalMs);
            var opParams = cfgOp is null ? [] : Cib.NvSet.Flatten(cfgOp.InstanceAttributes, Ctx(n.Attributes, p)).ToList();
            var input = new Digests.OpDigestInput(op.Operation, op.IntervalMs, parameters, opParams, IsStonith: r.IsStonith);
            string? A(string k) => op.Attributes.TryGetValue(k, out var v) ? v : null;
            var recorded = new Digests.RecordedDigests(op.OpDigest, A("op-restart-digest"), A("op-force-restart"),
                A("op-secure-digest"), A("op-secure-params"), A("crm_feature_set"));
            var cmp = Digests.OpDigest.Compare(input, recorded, sanitized: true, featureSet);
            if (cmp.Verdict != Digests.DigestVerdict.Match)
                r.RestartReason = "resource definition change";
        }
    }
}
