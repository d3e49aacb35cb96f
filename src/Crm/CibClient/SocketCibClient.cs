using Cluster.Common.Paths;

namespace Cluster.Crm.CibClient;

/// <summary>
/// The CIB client for the live CIB manager (pacemakerd's local socket under
/// HA_ROOT/run/pacemaker). Planned: until the manager exists, connecting fails as Pacemaker's
/// tools do when pacemaker is not running ("Transport endpoint is not connected", exit 102).
/// </summary>
public static class SocketCibClient
{
    public static ICibClient Connect(HaPaths paths, string clientName)
    {
        _ = paths;
        _ = clientName;
        throw new CibConnectionException(CibResultCode.NotConnected, CibErrors.NotConnected);
    }
}
