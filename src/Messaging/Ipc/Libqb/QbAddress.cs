using System.Net.Sockets;

namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>
/// libqb's socket names: abstract AF_UNIX addresses whose whole 108-byte sun_path counts (NUL,
/// the name, NUL padding; address length 110). An address built from just "\0name" has another
/// length and is a different address to the kernel, invisible to the real clients.
/// </summary>
public static class QbAddress
{
    private const int SunPathLength = 108;

    public static UnixDomainSocketEndPoint Abstract(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length >= SunPathLength)
            throw new ArgumentException($"libqb socket name '{name}' is longer than {SunPathLength - 1} characters", nameof(name));
        return new UnixDomainSocketEndPoint("\0" + name.PadRight(SunPathLength - 1, '\0'));
    }
}
