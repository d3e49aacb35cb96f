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

    private void CheckDigests()
    {
        if (_options.DigestCalculator is not { } calc) return;
        foreach (var (r, n, op) in DigestRestarts)
        {
            if (r.Primitive is null || r.Orphan) continue;
            var parameters = Cib.NvSet.Flatten(r.Primitive.InstanceAttributes, Ctx(n.Attributes, r.Primitive));
            var expected = calc(new OpDigestRequest(r.Primitive, op, parameters));
            if (expected is not null && op.OpDigest != expected && r.RunningOn.Count == 1)
                r.RestartReason = "resource definition change";
        }
    }
}
