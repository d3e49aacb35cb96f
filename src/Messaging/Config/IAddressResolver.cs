using System.Net;

namespace Cluster.Messaging.Config;

/// <summary>Turns a ring address written as a host name into addresses (injectable so tests need no /etc/hosts).</summary>
public interface IAddressResolver
{
    /// <summary>The addresses of <paramref name="name"/>, or an empty list when it does not resolve.</summary>
    IReadOnlyList<IPAddress> Resolve(string name);
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
