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
        var normal = Normalize(absolutePath);
        return Root.Length == 0 ? normal : Root + normal;
    }

    /// <summary>
    /// Resolves "." and ".." lexically; ".." at the top stays at the top, as in a chroot:
    /// "/../../x" is "/x", never outside Root. (Not Path.GetFullPath: it throws on a NUL, which
    /// a config file may hold; the fuzz slice found that.)
    /// </summary>
    private static string Normalize(string absolutePath)
    {
        var parts = new List<string>();
        foreach (var part in absolutePath.Split('/'))
        {
            if (part.Length == 0 || part == ".")
                continue;
            if (part == "..")
            {
                if (parts.Count > 0)
                    parts.RemoveAt(parts.Count - 1);
                continue;
            }
            parts.Add(part);
        }
        var normal = "/" + string.Join('/', parts);
        return absolutePath.EndsWith('/') && parts.Count > 0 ? normal + "/" : normal;
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
