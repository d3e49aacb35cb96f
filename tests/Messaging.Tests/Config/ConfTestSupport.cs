using System.Net;
using Cluster.Common.Paths;
using Cluster.Messaging.Config;

namespace Cluster.Messaging.Tests.Config;

/// <summary>A resolver with a fixed table, standing in for /etc/hosts.</summary>
internal sealed class FakeResolver(params (string Name, string Address)[] entries) : IAddressResolver
{
    public IReadOnlyList<IPAddress> Resolve(string name) =>
        [.. entries.Where(e => string.Equals(e.Name, name, StringComparison.OrdinalIgnoreCase)).Select(e => IPAddress.Parse(e.Address))];
}

internal static class ConfTestSupport
{
    public static readonly FakeResolver TutorialHosts = new(("HA1", "10.1.11.109"), ("HA2", "10.1.11.110"));

    /// <summary>Loads config text with HA_ROOT at a directory that has no authkey or log directory.</summary>
    public static ConfigLoadResult Load(string text, IAddressResolver? resolver = null, HaPaths? paths = null) =>
        CorosyncConfigLoader.LoadText(text, "test.conf", paths ?? new HaPaths("/nonexistent-ha-root"), resolver ?? TutorialHosts);

    public static string Fixture(string name) =>
        Path.Combine(Cluster.TestSupport.RepoPaths.Shared, "fixtures", "corosync-conf", name);

    /// <summary>A valid two-node udpu config with the given extra totem lines.</summary>
    public static string TwoNodes(string totemExtra = "", string quorum = "    provider: corosync_votequorum\n    two_node: 1\n") => $$"""
        totem {
            version: 2
            cluster_name: test
            transport: udpu
        {{totemExtra}}
        }
        nodelist {
            node {
                ring0_addr: 10.0.0.1
                name: node1
                nodeid: 1
            }
            node {
                ring0_addr: 10.0.0.2
                name: node2
                nodeid: 2
            }
        }
        quorum {
        {{quorum}}
        }
        logging {
            to_syslog: no
        }
        """;
}
