using static Cluster.Crm.Controller.ControllerInput;
using static Cluster.Crm.Controller.ControllerState;

namespace Cluster.Crm.Controller;

/// <summary>
/// The controller's state transitions as one table, (state, input) -> next state, as
/// Pacemaker's fsa_next_states. An input with no entry for the current state is ignored: it is
/// stale (a result of a phase already left), never an error.
/// </summary>
public static class ControllerFsa
{
    private static readonly ControllerState[] DcStates =
        [S_INTEGRATION, S_FINALIZE_JOIN, S_POLICY_ENGINE, S_TRANSITION_ENGINE, S_IDLE];

    private static readonly ControllerState[] LiveStates =
        [S_PENDING, S_ELECTION, S_NOT_DC, S_INTEGRATION, S_FINALIZE_JOIN, S_POLICY_ENGINE, S_TRANSITION_ENGINE, S_IDLE, S_RELEASE_DC];

    private static readonly Dictionary<(ControllerState, ControllerInput), ControllerState> Table = Build();

    /// <summary>True in the states only the DC is in.</summary>
    public static bool IsDcState(ControllerState state) => Array.IndexOf(DcStates, state) >= 0;

    /// <summary>The next state, or null when the table has no entry (the input is ignored).</summary>
    public static ControllerState? Next(ControllerState state, ControllerInput input) =>
        Table.TryGetValue((state, input), out var next) ? next : null;

    private static Dictionary<(ControllerState, ControllerInput), ControllerState> Build()
    {
        var t = new Dictionary<(ControllerState, ControllerInput), ControllerState>
        {
            [(S_STARTING, I_PENDING)] = S_PENDING,
            [(S_STARTING, I_SHUTDOWN)] = S_STOPPING,
            [(S_ELECTION, I_ELECTION_DC)] = S_INTEGRATION,
            [(S_ELECTION, I_PENDING)] = S_PENDING,
            [(S_PENDING, I_NOT_DC)] = S_NOT_DC,
            [(S_NOT_DC, I_PENDING)] = S_PENDING,
            [(S_INTEGRATION, I_INTEGRATED)] = S_FINALIZE_JOIN,
            [(S_FINALIZE_JOIN, I_FINALIZED)] = S_POLICY_ENGINE,
            [(S_POLICY_ENGINE, I_PE_SUCCESS)] = S_TRANSITION_ENGINE,
            [(S_TRANSITION_ENGINE, I_TE_SUCCESS)] = S_IDLE,
            [(S_TRANSITION_ENGINE, I_PE_CALC)] = S_POLICY_ENGINE,
            [(S_IDLE, I_PE_CALC)] = S_POLICY_ENGINE,
            [(S_RELEASE_DC, I_RELEASE_SUCCESS)] = S_PENDING,
            [(S_STOPPING, I_TERMINATE)] = S_TERMINATE,
        };
        foreach (var s in LiveStates)
        {
            t[(s, I_ELECTION)] = S_ELECTION;
            t[(s, I_SHUTDOWN)] = S_STOPPING;
        }
        foreach (var s in DcStates)
        {
            t[(s, I_NODE_JOIN)] = S_INTEGRATION;
            t[(s, I_RELEASE_DC)] = S_RELEASE_DC;
        }
        return t;
    }
}
