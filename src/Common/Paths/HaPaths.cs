namespace Cluster.Common.Paths;

/// <summary>
/// Every standard path the stack uses, built in one place. <c>HA_ROOT</c> works like a chroot:
/// every default path, and every absolute path read from a config file, lives under it, so
/// several nodes can run on one machine. Paths given on a command line are used as given.
/// </summary>
public sealed record HaPaths(string Root)
{
    public const string RootVariable = "HA_ROOT";

    public static HaPaths FromEnvironment(Func<string, string?> getEnv) =>
        new(getEnv(RootVariable)?.TrimEnd('/') ?? string.Empty);

    public static HaPaths FromProcessEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    /// <summary>Maps an absolute path (default or from a config file) under <see cref="Root"/>.</summary>
    public string Under(string absolutePath)
    {
        if (!Path.IsPathRooted(absolutePath))
            throw new ArgumentException($"expected an absolute path, got \"{absolutePath}\"", nameof(absolutePath));
        // ".." at the top stays at the top, as in a chroot: "/../../x" is "/x", never outside Root.
        var normal = Path.GetFullPath(absolutePath);
        return Root.Length == 0 ? normal : Root + normal;
    }

    public string CorosyncConfDir => Under("/etc/corosync");
    public string CorosyncConf => Under("/etc/corosync/corosync.conf");
    public string AuthKey => Under("/etc/corosync/authkey");
    public string CorosyncLib => Under("/var/lib/corosync");
    public string CorosyncRun => Under("/run/corosync");
    public string ClusterLogDir => Under("/var/log/cluster");
    public string PacemakerLib => Under("/var/lib/pacemaker");
    public string PacemakerRun => Under("/run/pacemaker");
    public string PacemakerLogDir => Under("/var/log/pacemaker");
}
