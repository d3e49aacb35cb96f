namespace Cluster.Messaging.Config;

/// <summary>
/// A whole corosync.conf as a typed, immutable model. Each section keeps the keys the file sets
/// (so it round-trips and flattens to the same cmap keys as the real parser) and exposes typed
/// values with corosync 3.1's defaults. <see cref="Other"/> holds every key corosync 3.1 does not
/// interpret (full cmap paths: <c>aisexec.user</c>, <c>resources.*</c>, <c>uidgid.uid.x</c>, ...).
/// </summary>
public sealed record CorosyncConfig(
    TotemConfig Totem,
    ValueList<InterfaceConfig> Interfaces,
    ValueList<NodeConfig> Nodes,
    QuorumConfig Quorum,
    LoggingConfig Logging,
    SystemConfig System,
    ConfSettings Other)
{
    public static CorosyncConfig Empty { get; } = new(
        new TotemConfig(ConfSettings.Empty), ValueList<InterfaceConfig>.Empty, ValueList<NodeConfig>.Empty,
        new QuorumConfig(ConfSettings.Empty), new LoggingConfig(ConfSettings.Empty, ValueList<LoggerSubsysConfig>.Empty),
        new SystemConfig(ConfSettings.Empty), ConfSettings.Empty);

    /// <summary>
    /// A 2.x file (no nodelist, interface with mcastaddr, no transport) meant multicast: corosync
    /// 2's default transport was udp. 3.x would default to knet and fail; we keep the author's meaning.
    /// </summary>
    public bool ImpliesLegacyUdp =>
        Totem.ExplicitTransport is null && Nodes.Count == 0 && Interfaces.Any(i => i.McastAddr is not null);

    /// <summary>The transport in effect (explicit, else udp for a 2.x multicast file, else knet).</summary>
    public TransportKind Transport =>
        TransportKinds.TryParse(Totem.ExplicitTransport, out var kind) ? kind
        : ImpliesLegacyUdp ? TransportKind.Udp : TransportKind.Knet;

    /// <summary>ip_version in effect: explicit, else ipv4 for udp and ipv6-4 (IPv6 first) otherwise.</summary>
    public string IpVersion => Totem.IpVersion ?? (Transport == TransportKind.Udp ? "ipv4" : "ipv6-4");

    public uint NetMtu => Totem.NetMtu ?? (Transport == TransportKind.Knet ? TotemDefaults.NetMtuKnet : TotemDefaults.NetMtuUdp);

    /// <summary>Link numbers in use: interface blocks plus ringX_addr of the nodes, ascending; link 0 at least.</summary>
    public IReadOnlyList<byte> Links
    {
        get
        {
            var links = new SortedSet<byte>(Interfaces.Select(i => i.LinkNumber));
            foreach (var node in Nodes)
                foreach (var link in node.Links)
                    links.Add((byte)link);
            if (links.Count == 0)
                links.Add(0);
            return [.. links];
        }
    }

    public InterfaceConfig? Interface(byte link) => Interfaces.FirstOrDefault(i => i.LinkNumber == link);

    public EffectiveTimers Timers =>
        EffectiveTimers.Compute(Totem, Nodes.Count, Links.Select(link => (link, Interface(link))));
}
