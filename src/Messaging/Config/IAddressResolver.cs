using System.Net;

namespace Cluster.Messaging.Config;

/// <summary>Turns a ring address written as a host name into addresses (injectable so tests need no /etc/hosts).</summary>
public interface IAddressResolver
{
    /// <summary>The addresses of <paramref name="name"/>, or an empty list when it does not resolve.</summary>
    IReadOnlyList<IPAddress> Resolve(string name);

    /// <summary>
    /// False for a resolver that does not look names up at all (<see cref="NoNameResolution"/>):
    /// the validator then leaves ring addresses written as names unchecked.
    /// </summary>
    bool ResolvesNames => true;
}

/// <summary>
/// Looks no name up: for reading a config's keys (corosync-cmapctl --config), where a node name
/// that does not resolve on this machine is not an error; resolving is <c>corosync -t</c>'s job.
/// </summary>
public sealed class NoNameResolution : IAddressResolver
{
    public static NoNameResolution Instance { get; } = new();

    public IReadOnlyList<IPAddress> Resolve(string name) => [];

    public bool ResolvesNames => false;
}

/// <summary>The system resolver (getaddrinfo: /etc/hosts, DNS, ...).</summary>
public sealed class SystemAddressResolver : IAddressResolver
{
    public static SystemAddressResolver Instance { get; } = new();

    public IReadOnlyList<IPAddress> Resolve(string name)
    {
        try
        {
            return Dns.GetHostAddresses(name);
        }
        catch (System.Net.Sockets.SocketException)
        {
            return [];
        }
        catch (ArgumentException)
        {
            return [];
        }
    }
}
