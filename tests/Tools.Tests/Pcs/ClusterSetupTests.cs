using System.Text.RegularExpressions;
using Cluster.Tools.Tests.Support;

namespace Cluster.Tools.Tests.Pcs;

/// <summary>
/// pcs cluster setup --corosync_conf: the file pcs 0.11.5 writes for the same command line
/// (captured from the real pcs; only the random cluster_uuid differs), and its refusals.
/// </summary>
public sealed partial class ClusterSetupTests : IDisposable
{
    private readonly CibFixture _cib = new CibFixture().WithFinalCib();

    public void Dispose() => _cib.Dispose();

    private string Conf => Path.Combine(_cib.Dir, "new-corosync.conf");

    [GeneratedRegex("cluster_uuid: [0-9a-f]{32}\n")]
    private static partial Regex Uuid();

    private const string Logging = "logging {\n    to_logfile: yes\n    logfile: /var/log/corosync/corosync.log\n    to_syslog: yes\n    timestamp: on\n}\n";

    [Fact]
    public async Task TwoKnetNodesWithAddressesGetCryptoAndTwoNode()
    {
        var (exit, output, error) = await _cib.Pcs($"cluster setup mycluster node1 addr=10.0.0.1 node2 addr=10.0.0.2 transport knet totem token=3000 --corosync_conf {Conf}");

        Assert.Equal(0, exit);
        Assert.Equal("", output + error);
        Assert.Equal("totem {\n    version: 2\n    cluster_name: mycluster\n    transport: knet\n    token: 3000\n    crypto_cipher: aes256\n    crypto_hash: sha256\n    cluster_uuid: U\n}\n\n"
            + "nodelist {\n    node {\n        ring0_addr: 10.0.0.1\n        name: node1\n        nodeid: 1\n    }\n\n    node {\n        ring0_addr: 10.0.0.2\n        name: node2\n        nodeid: 2\n    }\n}\n\n"
            + "quorum {\n    provider: corosync_votequorum\n    two_node: 1\n}\n\n" + Logging,
            Uuid().Replace(File.ReadAllText(Conf), "cluster_uuid: U\n"));
    }

    [Fact]
    public async Task ThreeUdpuNodesHaveTheirTotemOptionsInNameOrderAndNoCrypto()
    {
        var (exit, _, _) = await _cib.Pcs($"cluster setup c3 n1 addr=127.0.0.1 n2 addr=127.0.0.2 n3 addr=127.0.0.3 transport udpu totem token=1000 consensus=1200 --corosync_conf {Conf}");

        Assert.Equal(0, exit);
        Assert.Equal("totem {\n    version: 2\n    cluster_name: c3\n    transport: udpu\n    consensus: 1200\n    token: 1000\n    cluster_uuid: U\n}\n\n"
            + "nodelist {\n    node {\n        ring0_addr: 127.0.0.1\n        name: n1\n        nodeid: 1\n    }\n\n    node {\n        ring0_addr: 127.0.0.2\n        name: n2\n        nodeid: 2\n    }\n\n"
            + "    node {\n        ring0_addr: 127.0.0.3\n        name: n3\n        nodeid: 3\n    }\n}\n\nquorum {\n    provider: corosync_votequorum\n}\n\n" + Logging,
            Uuid().Replace(File.ReadAllText(Conf), "cluster_uuid: U\n"));
    }

    [Fact]
    public async Task WhatPcsRefusesIsRefusedAndNothingIsWritten()
    {
        var bogus = await _cib.Pcs($"cluster setup c4 n1 addr=127.0.0.1 totem bogus=1 --corosync_conf {Conf}");
        var twice = await _cib.Pcs($"cluster setup c4 n1 addr=127.0.0.1 n1 addr=127.0.0.2 --corosync_conf {Conf}");
        var noPcsd = await _cib.Pcs("cluster setup c4 n1 addr=127.0.0.1");

        Assert.Equal(1, bogus.Exit);
        Assert.StartsWith("Error: invalid totem option 'bogus', allowed options are: 'block_unlisted_ips', 'consensus', ", bogus.Err, StringComparison.Ordinal);
        Assert.EndsWith("'window_size'\nError: Errors have occurred, therefore pcs is unable to continue\n", bogus.Err, StringComparison.Ordinal);
        Assert.Equal("Error: Node name 'n1' defined multiple times\n", twice.Err);
        Assert.Equal(1, noPcsd.Exit);
        Assert.False(File.Exists(Conf));
    }

    [Fact]
    public async Task AnExistingFileIsKeptUnlessOverwriteIsGiven()
    {
        File.WriteAllText(Conf, "old\n");

        var kept = await _cib.Pcs($"cluster setup c n1 addr=127.0.0.1 --corosync_conf {Conf}");
        var replaced = await _cib.Pcs($"cluster setup c n1 addr=127.0.0.1 --corosync_conf {Conf} --overwrite");

        Assert.Equal($"Error: Corosync configuration file '{Conf}' already exists, use --overwrite to overwrite existing file(s)\n", kept.Err);
        Assert.Equal(0, replaced.Exit);
        Assert.StartsWith("totem {\n", File.ReadAllText(Conf), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClusterStatusIsTheSummaryAndNodeListOfCrmMonIndented()
    {
        var (exit, output, _) = await _cib.Pcs("cluster status");

        Assert.Equal(0, exit);
        Assert.StartsWith("Cluster Status:\n Cluster Summary:\n   * Stack: corosync\n", output, StringComparison.Ordinal);
        Assert.EndsWith(" Node List:\n   * Online: [ node1 node2 ]\n", output, StringComparison.Ordinal);
    }
}
