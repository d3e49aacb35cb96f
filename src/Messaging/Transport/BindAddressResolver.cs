using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Cluster.Messaging.Transport;

/// <summary>A local interface address with its prefix length.</summary>
public sealed record InterfaceAddress(IPAddress Address, int PrefixLength);

/// <summary>
/// Resolves corosync's <c>bindnetaddr</c>, which may name a network (10.0.0.0) or an address
/// (10.0.0.5): an interface address equal to it wins; otherwise the first interface address
/// whose network (under that interface's own prefix) contains it.
/// </summary>
public static class BindAddressResolver
{
    public static IPAddress Resolve(IPAddress bindNetAddress, IEnumerable<InterfaceAddress> interfaces)
    {
        ArgumentNullException.ThrowIfNull(bindNetAddress);
        var candidates = interfaces.Where(i => i.Address.AddressFamily == bindNetAddress.AddressFamily).ToList();
        var exact = candidates.FirstOrDefault(i => i.Address.Equals(bindNetAddress));
        if (exact is not null) return exact.Address;
        var inNetwork = candidates.FirstOrDefault(i => SameNetwork(i.Address, bindNetAddress, i.PrefixLength));
        return inNetwork?.Address
            ?? throw new TransportException($"no local interface address matches bindnetaddr {bindNetAddress}");
    }

    /// <summary>Resolves against this machine's interfaces.</summary>
    public static IPAddress Resolve(IPAddress bindNetAddress) => Resolve(bindNetAddress, LocalInterfaces());

    public static IReadOnlyList<InterfaceAddress> LocalInterfaces() =>
    [
        .. NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(u => new InterfaceAddress(u.Address, u.PrefixLength)),
    ];

    public static bool SameNetwork(IPAddress a, IPAddress b, int prefixLength)
    {
        if (a.AddressFamily != b.AddressFamily) return false;
        var x = a.GetAddressBytes();
        var y = b.GetAddressBytes();
        var bits = Math.Clamp(prefixLength, 0, x.Length * 8);
        for (var i = 0; i < x.Length && bits > 0; i++, bits -= 8)
        {
            var mask = bits >= 8 ? 0xFF : (0xFF << (8 - bits)) & 0xFF;
            if ((x[i] & mask) != (y[i] & mask)) return false;
        }
        return true;
    }
}
