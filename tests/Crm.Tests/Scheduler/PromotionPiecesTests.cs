using Cluster.Crm.Cib;
using Cluster.Crm.Scheduler;

namespace Cluster.Crm.Tests.Scheduler;

/// <summary>Small pure pieces of promotable-clone scheduling: score attributes and summary details.</summary>
public class PromotionPiecesTests
{
    [Theory]
    [InlineData(Role.Unpromoted, Role.Promoted, "node2", "node2", "Unpromoted -> Promoted node2")]
    [InlineData(Role.Promoted, Role.Unpromoted, "node1", "node1", "Promoted -> Unpromoted node1")]
    [InlineData(Role.Stopped, Role.Promoted, null, "node2", "Stopped -> Promoted node2")]
    [InlineData(Role.Stopped, Role.Unpromoted, null, "node1", "node1")]
    [InlineData(Role.Unpromoted, Role.Stopped, "node3", null, "Unpromoted node3")]
    [InlineData(Role.Promoted, Role.Stopped, "node1", null, "Promoted node1")]
    [InlineData(Role.Promoted, Role.Promoted, "node1", "node1", "Promoted node1")]
    [InlineData(Role.Promoted, Role.Promoted, "node1", "node2", "node1 -> node2 Promoted")]
    [InlineData(Role.Unpromoted, Role.Unpromoted, "node1", "node2", "node1 -> node2 Unpromoted")]
    [InlineData(Role.Unpromoted, Role.Unpromoted, "node1", "node1", "Unpromoted node1")]
    [InlineData(Role.Started, Role.Started, "node1", "node2", "node1 -> node2")]
    [InlineData(Role.Unpromoted, Role.Promoted, "node1", "node2", "Unpromoted node1 -> Promoted node2")]
    [InlineData(Role.Started, Role.Stopped, "node1", null, "node1")]
    public void Summary_details_show_roles_only_for_promoted_instances(Role role, Role next, string? origin, string? dest, string expected) =>
        Assert.Equal(expected, RoleChangeDetails.Format(role, next, origin, dest));

    [Fact]
    public void Unique_instance_reads_only_its_own_attribute()
    {
        var attrs = new Dictionary<string, string> { ["master-rsc"] = "5", ["master-rsc:1"] = "10" };
        Assert.Equal(new Score(10), PromotionScore.Lookup(attrs, "rsc:1", globallyUnique: true));
        Assert.Null(PromotionScore.Lookup(attrs, "rsc:2", globallyUnique: true));
    }

    [Fact]
    public void Anonymous_instance_falls_back_to_the_bare_primitive_name()
    {
        var attrs = new Dictionary<string, string> { ["master-rsc"] = "INFINITY" };
        Assert.Equal(Score.Infinity, PromotionScore.Lookup(attrs, "rsc:3", globallyUnique: false));
        Assert.Equal(Score.Infinity, PromotionScore.Lookup(attrs, "rsc", globallyUnique: false));
        Assert.Null(PromotionScore.Lookup(new Dictionary<string, string>(), "rsc:0", globallyUnique: false));
    }
}
