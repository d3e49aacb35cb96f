using Cluster.Tools.Pcs.Display;

namespace Cluster.Tools.Tests.Pcs;

/// <summary>pcs status's "Daemon Status" block, read from where systemd keeps unit state.</summary>
public sealed class LocalServicesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("local-services-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Etc => Path.Combine(_root, "etc");

    private string Run => Path.Combine(_root, "run");

    private string Cgroup => Path.Combine(_root, "cgroup");

    private void Enable(string unit)
    {
        var wants = Directory.CreateDirectory(Path.Combine(Etc, "multi-user.target.wants")).FullName;
        File.CreateSymbolicLink(Path.Combine(wants, unit + ".service"), "/lib/systemd/system/" + unit + ".service"); // dangling here: still enabled
    }

    private void Running(string unit, string pids) =>
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(Cgroup, unit + ".service")).FullName, "cgroup.procs"), pids);

    [Fact]
    public void Corosync_pacemaker_and_pcsd_are_always_listed_and_the_optional_services_only_when_enabled_or_running()
    {
        Enable("pcsd");
        Enable("sbd");
        Assert.Equal(["corosync: inactive/disabled", "pacemaker: inactive/disabled", "pcsd: inactive/enabled", "sbd: inactive/enabled"],
            LocalServices.Lines(Etc, Run, Cgroup));
    }

    [Fact]
    public void A_unit_is_active_only_while_systemd_runs_the_machine_and_its_cgroup_holds_a_process()
    {
        Enable("corosync");
        Running("corosync", "123\n");
        Running("pacemaker", "");
        // Without systemd (a container, a test harness) nothing is active, as systemctl says.
        Assert.Equal("corosync: inactive/enabled", LocalServices.Lines(Etc, Run, Cgroup).First());
        Directory.CreateDirectory(Run);
        Assert.Equal(["corosync: active/enabled", "pacemaker: inactive/disabled", "pcsd: inactive/disabled"], LocalServices.Lines(Etc, Run, Cgroup));
    }
}
