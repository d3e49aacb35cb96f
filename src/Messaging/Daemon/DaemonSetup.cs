using System.Collections.Immutable;
using System.Net;
using System.Net.NetworkInformation;
using Cluster.Messaging.Config;
using Cluster.Messaging.Crypto;
using Cluster.Messaging.Quorum;
using Cluster.Messaging.Totem;
using Cluster.Messaging.Transport;

namespace Cluster.Messaging.Daemon;

/// <summary>A startup problem the daemon reports as corosync does, with its exit code (8 = config).</summary>
public sealed class DaemonStartupException(string message, int exitCode = 8) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>One node of the nodelist with its resolved link addresses.</summary>
public sealed record DaemonNode(NodeId Id, string? Name, ImmutableArray<IPAddress> Addresses, uint Votes);

/// <summary>Everything the daemon derives from corosync.conf before it starts: who we are and each layer's options.</summary>
public sealed record DaemonSetup(
    NodeId LocalNode,
    ImmutableArray<DaemonNode> Nodes,
    TotemOptions Totem,
    TransportOptions Transport,
    QuorumOptions Quorum,
    IReadOnlyList<string> QuorumWarnings)
{
    /// <summary>
    /// Builds the setup. The local node is the one named by the (our extension)
    /// <c>nodelist.local_node_pos</c> key, else the node whose name is this host's name, else the
    /// one whose address is on a local interface.
    /// </summary>
    public static DaemonSetup From(CorosyncConfig config, IAddressResolver resolver, string hostName, byte[]? authKey)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.Nodes.Count == 0)
            throw new DaemonStartupException("parse error in config: No interfaces defined");
        var nodes = ImmutableArray.CreateBuilder<DaemonNode>();
        foreach (var n in config.Nodes)
        {
            if (n.NodeId is not { } id)
                throw new DaemonStartupException("nodelist.node.X.nodeid is required for every node");
            var addresses = ImmutableArray.CreateBuilder<IPAddress>();
            foreach (var link in n.Links)
            {
                var text = n.RingAddress(link)!;
                if (string.IsNullOrWhiteSpace(text))
                    throw new DaemonStartupException($"failed to parse bindnet address '{text}'");
                if (IPAddress.TryParse(text, out var ip))
                    addresses.Add(ip);
                else if (resolver.Resolve(text) is { Count: > 0 } resolved)
                    addresses.Add(resolved[0]);
                else
                    throw new DaemonStartupException($"failed to parse node address '{text}'");
            }
            nodes.Add(new DaemonNode(new NodeId(id), n.Name, addresses.ToImmutable(), n.QuorumVotes));
        }
        var all = nodes.ToImmutable();
        var local = FindLocal(config, all, hostName);

        var timers = config.Timers;
        var totem = new TotemOptions
        {
            LocalNode = local,
            Nodes = [.. all.Select(n => n.Id)],
            Token = (int)config.Totem.Token,
            TokenCoefficient = (int)config.Totem.TokenCoefficient,
            TokenRetransmitsBeforeLoss = (int)config.Totem.TokenRetransmitsBeforeLossConst,
            TokenRetransmitOverride = config.Totem.TokenRetransmit is { } tr ? (int)tr : null,
            HoldOverride = config.Totem.Hold is { } h ? (int)h : null,
            ConsensusOverride = config.Totem.Consensus is { } c ? (int)c : null,
            Join = (int)timers.Join,
            Merge = (int)timers.Merge,
            Downcheck = (int)timers.Downcheck,
            FailReceiveConst = (int)timers.FailRecvConst,
            SeqnoUnchangedConst = (int)timers.SeqnoUnchangedConst,
            MissCountConst = (int)timers.MissCountConst,
            WindowSize = (int)timers.WindowSize,
            MaxMessages = (int)timers.MaxMessages,
            NetMtu = (int)Math.Min(config.NetMtu, 65000),
        };
        if (totem.Validate() is { } totemError)
            throw new DaemonStartupException("parse error in config: " + totemError);

        var kind = config.Transport;
        var iface = config.Interface(0);
        var link0 = timers.Links.FirstOrDefault();
        CryptoOptions? crypto = null;
        if (config.Totem.CryptoEnabled)
        {
            var key = authKey ?? throw new DaemonStartupException("crypto is on but no authkey was loaded");
            crypto = new CryptoOptions(key, config.Totem.ClusterName ?? "");
        }
        var transport = new TransportOptions
        {
            Kind = kind,
            LocalNode = local,
            Nodes = all.ToImmutableSortedDictionary(n => n.Id, n => n.Addresses),
            Port = iface?.McastPort ?? TransportOptions.DefaultPort,
            BlockUnlistedIps = config.Totem.BlockUnlistedIps,
            MulticastAddress = iface?.McastAddr is { } m && IPAddress.TryParse(m, out var mip) ? mip : null,
            MulticastTtl = iface?.Ttl ?? 1,
            Crypto = crypto,
            KnetPingInterval = TimeSpan.FromMilliseconds(link0?.KnetPingInterval ?? 750),
            KnetPingTimeout = TimeSpan.FromMilliseconds(link0?.KnetPingTimeout ?? 1500),
        };
        try
        {
            transport.Validate();
        }
        catch (ArgumentException e)
        {
            // Without .NET's " (Parameter 'Port')" suffix: the line is for an administrator.
            var text = e.ParamName is { } name ? e.Message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal) : e.Message;
            throw new DaemonStartupException("parse error in config: " + text);
        }

        var q = config.Quorum;
        QuorumOptions quorum;
        IReadOnlyList<string> warnings;
        try
        {
            (quorum, warnings) = QuorumOptions.Resolve(local, all.ToDictionary(n => n.Id, n => n.Votes), q.ExpectedVotes,
                q.Values.U32("votes"), q.TwoNode, q.Values.U32("wait_for_all") is { } w ? w > 0 : null, q.LastManStanding,
                TimeSpan.FromMilliseconds(q.LastManStandingWindow), q.AutoTieBreaker, q.AutoTieBreakerNode, q.AllowDownscale,
                q.ExpectedVotesTracking);
        }
        catch (QuorumConfigurationException e)
        {
            throw new DaemonStartupException(e.Message);
        }
        return new DaemonSetup(local, all, totem, transport, quorum, warnings);
    }

    private static NodeId FindLocal(CorosyncConfig config, ImmutableArray<DaemonNode> nodes, string hostName)
    {
        var posText = config.Other.Str("nodelist.local_node_pos") ?? config.Other.U32("nodelist.local_node_pos")?.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (posText is not null)
        {
            if (!int.TryParse(posText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pos) || pos >= nodes.Length)
                throw new DaemonStartupException($"nodelist.local_node_pos \"{posText}\" is not the position of a node in the nodelist");
            return nodes[pos].Id;
        }
        var shortHost = hostName.Split('.')[0];
        var byName = nodes.Where(n => n.Name is { } name && (name == hostName || name == shortHost)).ToList();
        if (byName.Count == 1)
            return byName[0].Id;
        var local = LocalAddresses();
        var byAddress = nodes.Where(n => n.Addresses.Any(local.Contains)).ToList();
        if (byAddress.Count == 1)
            return byAddress[0].Id;
        throw new DaemonStartupException("No valid name found for local host");
    }

    private static HashSet<IPAddress> LocalAddresses()
    {
        var set = new HashSet<IPAddress>();
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            foreach (var a in nic.GetIPProperties().UnicastAddresses)
                set.Add(a.Address);
        return set;
    }
}
