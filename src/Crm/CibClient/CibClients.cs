using Cluster.Common.Paths;

namespace Cluster.Crm.CibClient;

/// <summary>
/// The one way a tool gets its CIB client: CIB_file=PATH gives a <see cref="FileCibClient"/>,
/// otherwise the live CIB manager over its local socket. Connection failures throw
/// <see cref="CibConnectionException"/> with Pacemaker's reason and exit code.
/// </summary>
public static class CibClients
{
    public const string FileVariable = "CIB_file";

    /// <param name="getEnv">Environment lookup (CIB_file, HA_ROOT).</param>
    /// <param name="clientName">Name the manager records as update-client (e.g. "cibadmin").</param>
    public static ICibClient Connect(Func<string, string?> getEnv, string clientName)
    {
        if (getEnv(FileVariable) is { Length: > 0 } file) return new FileCibClient(file);
        return SocketCibClient.Connect(HaPaths.FromEnvironment(getEnv), clientName);
    }

    public static ICibClient Connect(string clientName) => Connect(Environment.GetEnvironmentVariable, clientName);
}
