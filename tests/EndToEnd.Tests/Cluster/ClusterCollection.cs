namespace Cluster.EndToEnd.Tests.Cluster;

/// <summary>Cluster tests run one at a time: parallel clusters on 2 shared cores would miss tokens.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "real clusters";
}
