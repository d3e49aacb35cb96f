using Cluster.Crm.Controller;
using static Cluster.Crm.Controller.ControllerInput;
using static Cluster.Crm.Controller.ControllerState;

namespace Cluster.Crm.Tests.Controller;

public class ElectionAndKeyTests
{
    private static ElectionCredentials C(string version, int uptimeSeconds, string node) =>
        new(version, TimeSpan.FromSeconds(uptimeSeconds), node);

    [Fact]
    public void The_lower_feature_set_wins_whatever_the_uptime()
    {
        Assert.True(C("3.16.1", 1, "b").Beats(C("3.17", 100, "a")));
        Assert.False(C("3.17", 100, "a").Beats(C("3.16.1", 1, "b")));
    }

    [Fact]
    public void With_equal_feature_sets_the_longer_uptime_wins()
    {
        Assert.True(C("3.16.1", 100, "b").Beats(C("3.16.1", 10, "a")));
        Assert.False(C("3.16.1", 10, "a").Beats(C("3.16.1", 100, "b")));
    }

    [Fact]
    public void Then_the_host_name_that_sorts_lower_case_insensitively_wins()
    {
        Assert.True(C("3.16.1", 10, "Alpha").Beats(C("3.16.1", 10, "beta")));
        Assert.False(C("3.16.1", 10, "beta").Beats(C("3.16.1", 10, "Alpha")));
    }

    [Fact]
    public void Uptimes_closer_than_the_resolution_count_as_equal()
    {
        var a = new ElectionCredentials("3.16.1", TimeSpan.FromMilliseconds(5000), "a");
        var b = new ElectionCredentials("3.16.1", TimeSpan.FromMilliseconds(5500), "b");
        Assert.True(a.Beats(b));
        Assert.False(b.Beats(a));
    }

    [Fact]
    public void Names_only_votes_ignore_uptime()
    {
        Assert.True(C("3.16.1", 1, "a").Beats(C("3.16.1", 100, "b") with { NamesOnly = true }));
    }

    [Fact]
    public void The_fsa_table_moves_a_winner_into_integration_and_ignores_inputs_it_has_no_entry_for()
    {
        Assert.Equal(S_INTEGRATION, ControllerFsa.Next(S_ELECTION, I_ELECTION_DC));
        Assert.Equal(S_ELECTION, ControllerFsa.Next(S_IDLE, I_ELECTION));
        Assert.Null(ControllerFsa.Next(S_PENDING, I_PE_SUCCESS));
        Assert.Null(ControllerFsa.Next(S_TERMINATE, I_ELECTION));
        Assert.True(ControllerFsa.IsDcState(S_TRANSITION_ENGINE));
        Assert.False(ControllerFsa.IsDcState(S_NOT_DC));
    }

    [Theory]
    [InlineData("5:68:7:c0a34b18-a8ea-4299-84f3-6747c105f26e", 5, 68, 7)]
    [InlineData("-1:1:0:982d639a-546a-48be-ae7d-1e758560d891", -1, 1, 0)]
    public void Transition_keys_from_real_lrm_rsc_op_records_parse_and_format_back(string text, int action, int transition, int rc)
    {
        Assert.True(TransitionKey.TryParse(text, out var key, out var error), error);
        Assert.Equal((action, transition, rc), (key.ActionId, key.TransitionId, key.ExpectedRc));
        Assert.Equal(text, key.ToString());
    }

    [Theory]
    [InlineData("0:7;13:258:7:9868f0a6-5d36-4a83-8a9d-3a6aa2e817ba", 0, 7)]
    [InlineData("4:7;3:68:7:c0a34b18-a8ea-4299-84f3-6747c105f26e", 4, 7)]
    [InlineData("-1:193;5:2:0:9868f0a6-5d36-4a83-8a9d-3a6aa2e817ba", -1, 193)]
    public void Transition_magic_from_real_records_parses_and_formats_back(string text, int status, int rc)
    {
        Assert.True(TransitionMagic.TryParse(text, out var magic, out var error), error);
        Assert.Equal((status, rc), (magic.OpStatus, magic.Rc));
        Assert.Equal(text, magic.ToString());
    }

    [Theory]
    [InlineData("5:68:7", "expected action:transition:expected-rc:dc-uuid")]
    [InlineData("x:68:7:uuid", "action id \"x\"")]
    [InlineData("5:68:7:", "DC uuid is empty")]
    public void A_bad_transition_key_is_refused_naming_the_field(string text, string message)
    {
        Assert.False(TransitionKey.TryParse(text, out _, out var error));
        Assert.Contains(message, error);
    }

    [Fact]
    public void A_bad_transition_magic_is_refused_naming_the_field()
    {
        Assert.False(TransitionMagic.TryParse("0;5:68:7:u", out _, out var error));
        Assert.Contains("op-status:rc", error);
        Assert.False(TransitionMagic.TryParse("0:x;5:68:7:u", out _, out error));
        Assert.Contains("rc \"x\"", error);
    }
}
