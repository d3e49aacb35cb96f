using System.Net;
using Cluster.Messaging.Transport;

namespace Cluster.Messaging.Tests.Transport;

public class BindAddressResolverTests
{
    private static readonly InterfaceAddress[] Interfaces =
    [
        new(IPAddress.Parse("127.0.0.1"), 8),
        new(IPAddress.Parse("10.99.0.7"), 24),
        new(IPAddress.Parse("192.168.1.20"), 16),
        new(IPAddress.Parse("fd00::7"), 64),
    ];

    [Theory]
    [InlineData("10.99.0.0", "10.99.0.7")]      // a network
    [InlineData("10.99.0.7", "10.99.0.7")]      // an address
    [InlineData("10.99.0.200", "10.99.0.7")]    // another host of the network, as corosync accepts
    [InlineData("192.168.0.0", "192.168.1.20")] // the interface's own /16 decides
    [InlineData("fd00::", "fd00::7")]
    public void Bindnetaddr_as_a_network_or_an_address_picks_the_matching_interface(string bindnet, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), BindAddressResolver.Resolve(IPAddress.Parse(bindnet), Interfaces));

    [Fact]
    public void An_exact_address_wins_over_an_earlier_network_match()
    {
        InterfaceAddress[] interfaces = [new(IPAddress.Parse("10.0.0.1"), 8), new(IPAddress.Parse("10.0.0.2"), 8)];
        Assert.Equal(IPAddress.Parse("10.0.0.2"), BindAddressResolver.Resolve(IPAddress.Parse("10.0.0.2"), interfaces));
    }

    [Fact]
    public void No_matching_interface_is_a_precise_error()
    {
        var error = Assert.Throws<TransportException>(() => BindAddressResolver.Resolve(IPAddress.Parse("172.16.0.0"), Interfaces));
        Assert.Equal("no local interface address matches bindnetaddr 172.16.0.0", error.Message);
    }

    [Fact]
    public void The_loopback_network_resolves_on_this_machine() =>
        Assert.Equal(IPAddress.Loopback, BindAddressResolver.Resolve(IPAddress.Parse("127.0.0.0")));
}
