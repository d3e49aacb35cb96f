using Cluster.Crm.Graph;
using Cluster.Crm.Simulation;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.Graph;

/// <summary>
/// Pacemaker 2.1.5's own regression cases (../shared/conformance/scheduler/TIER/NAME.xml) run
/// through our simulator, for the tests that pin one graph rule each.
/// </summary>
internal static class CorpusGraph
{
    public static string Corpus => Path.Combine(RepoPaths.Shared, "conformance", "scheduler");

    public static SimulationOutput Simulate(string tier, string name) =>
        CrmSimulator.Run(Cluster.Crm.Cib.CibDocument.Load(Path.Combine(Corpus, tier, name + ".xml")), new SimulationRequest { Simulate = true });

    /// <summary>The graph as written and read back: what Pacemaker's tools and compare_graph.py see.</summary>
    public static TransitionGraph Of(string tier, string name) => ReadBack(Simulate(tier, name).Result.Graph, name);

    public static TransitionGraph ReadBack(TransitionGraph graph, string name) => TransitionGraphXml.Parse(TransitionGraphXml.Write(graph), name);
}
