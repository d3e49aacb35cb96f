namespace Cluster.Crm.Scheduler;

/// <summary>Pacemaker's scheduler as a pure function of the CIB (and "now").</summary>
public static class Scheduler
{
    public static ScheduleResult Schedule(Cib.CibDocument cib, SchedulerOptions? options = null) =>
        new SchedulerRun(cib, options ?? new SchedulerOptions()).Run();
}
