using Cluster.Tools.Tests.Support;

namespace Cluster.Tools.Tests.Crm;

/// <summary>crm_node on CIB_file: answered from the CIB's nodes (the real one asks the controller).</summary>
public sealed class CrmNodeTests : IDisposable
{
    private readonly CibFixture _cib = new CibFixture().WithFinalCib();

    public void Dispose() => _cib.Dispose();

    [Fact]
    public async Task Name_for_id_maps_a_node_id_to_its_name()
    {
        Assert.Equal((0, "node2\n"), Pick(await _cib.Tool("crm_node -N 2")));
        var unknown = await _cib.Tool("crm_node --name-for-id=9");
        Assert.Equal((105, "crm_node: Could not map node id 9 to a name\n"), (unknown.Exit, unknown.Err));
    }

    [Fact]
    public async Task The_last_command_given_wins_and_none_prints_the_help_on_stderr()
    {
        Assert.Equal((0, "node2\n"), Pick(await _cib.Tool("crm_node -l -N 2")));
        var none = await _cib.Tool("crm_node -V");
        Assert.Equal(64, none.Exit);
        Assert.StartsWith("Usage:\n  crm_node [OPTION\u2026]\n", none.Err, StringComparison.Ordinal);
    }

    private static (int, string) Pick((int Exit, string Out, string Err) run) => (run.Exit, run.Out);
}
