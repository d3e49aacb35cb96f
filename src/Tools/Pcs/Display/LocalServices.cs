namespace Cluster.Tools.Pcs.Display;

/// <summary>
/// pcs status's "Daemon Status" block on a live cluster: each cluster service of this node as
/// "name: active|inactive/enabled|disabled", as pcs 0.11.5 asks systemd. Asking systemctl costs
/// tens of milliseconds per question, so the answers are read where systemd keeps them: enabled is
/// a unit linked into a target's .wants directory; active is a unit whose cgroup holds a process
/// while systemd runs this machine (daemons started by hand, as in a test harness, are inactive,
/// as the real pcs reports them). corosync, pacemaker and pcsd are always listed;
/// pacemaker_remote and sbd only when enabled or running.
/// </summary>
public static class LocalServices
{
    private static readonly (string Name, bool Always)[] Services =
        [("corosync", true), ("pacemaker", true), ("pacemaker_remote", false), ("pcsd", true), ("sbd", false)];

    public static IEnumerable<string> Lines(string etcSystemd = "/etc/systemd/system", string runSystemd = "/run/systemd/system", string cgroup = "/sys/fs/cgroup/system.slice")
    {
        foreach (var (name, always) in Services)
        {
            var enabled = Enabled(etcSystemd, name);
            var active = Directory.Exists(runSystemd) && Active(cgroup, name);
            if (always || enabled || active)
                yield return $"{name}: {(active ? "active" : "inactive")}/{(enabled ? "enabled" : "disabled")}";
        }
    }

    private static bool Enabled(string etcSystemd, string name)
    {
        try
        {
            return Directory.Exists(etcSystemd) && Directory.EnumerateDirectories(etcSystemd, "*.wants")
                .Select(d => new FileInfo(Path.Combine(d, name + ".service")))
                .Any(link => link.Exists || link.LinkTarget is not null); // a dangling link still enables it
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static bool Active(string cgroup, string name)
    {
        try
        {
            var procs = Path.Combine(cgroup, name + ".service", "cgroup.procs");
            return File.Exists(procs) && File.ReadAllText(procs).Trim().Length > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
