using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.Execd;
using Cluster.Crm.Node;

namespace Cluster.Crm.ClusterSim;

/// <summary>
/// One simulated machine: its Pacemaker (null while down), its executor, its timers, its view of
/// the groups, where the network puts it, and the "real" state of the resources on it, which
/// survives a Pacemaker stop but not a crash or fencing.
/// </summary>
internal sealed class SimNode(uint id, string name)
{
    public uint Id { get; } = id;

    public string Name { get; } = name;

    public PacemakerNode? Core { get; set; }

    public ExecutorCore? Executor { get; set; }

    /// <summary>Bumped at every boot: events queued for an older incarnation are dropped.</summary>
    public int Incarnation { get; set; }

    /// <summary>What cib.xml holds (the CIB manager's last persist).</summary>
    public XElement? StoredCib { get; set; }

    public Dictionary<NodeTimer, long> Timers { get; } = [];

    public Dictionary<ExecutorTimer, long> ExecutorTimers { get; } = [];

    /// <summary>Agent runs started and not yet exited, by run id.</summary>
    public Dictionary<long, SimAgentRun> Runs { get; } = [];

    public bool InCib { get; set; }

    public bool InCrmd { get; set; }

    public bool InAttrd { get; set; }

    /// <summary>The network partition this machine is in (0 when healed).</summary>
    public int Partition { get; set; }

    /// <summary>votequorum's wait_for_all in a two-node cluster: this corosync has seen both nodes.</summary>
    public bool SawAll { get; set; }

    /// <summary>Resources really running here (what a monitor finds).</summary>
    public HashSet<string> Running { get; } = new(StringComparer.Ordinal);

    /// <summary>Resources that were running when this node crashed and that nobody has since seen stopped (a probe or stop here) or fenced.</summary>
    public HashSet<string> LostUnfenced { get; } = new(StringComparer.Ordinal);

    public IReadOnlyList<uint>? QuorumView { get; set; }

    public bool QuorateView { get; set; }

    public IReadOnlyList<uint>? CibView { get; set; }

    public IReadOnlyList<uint>? CrmdView { get; set; }

    public IReadOnlyList<uint>? AttrdView { get; set; }

    public CibVersion? LastVersion { get; set; }

    public bool Up => Core is not null;

    /// <summary>Told to stop cleanly (ShutdownRequested) and not gone yet.</summary>
    public bool Stopping { get; set; }

    public void Down()
    {
        Core = null;
        Executor = null;
        Timers.Clear();
        ExecutorTimers.Clear();
        Runs.Clear();
        InCib = InCrmd = InAttrd = false;
        QuorumView = CibView = CrmdView = AttrdView = null;
        QuorateView = false;
        SawAll = false;
        LastVersion = null;
        Stopping = false;
    }
}

/// <summary>One agent run in flight on a simulated executor, with the behaviour it was scripted to have.</summary>
internal sealed record SimAgentRun(long RunId, Agents.Invocation.AgentRequest Request, AgentBehaviour Behaviour);
