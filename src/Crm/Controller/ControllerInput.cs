namespace Cluster.Crm.Controller;

/// <summary>The FSA's inputs, named after Pacemaker's (I_ELECTION, I_ELECTION_DC, ...).</summary>
public enum ControllerInput
{
    /// <summary>Start-up done: wait for a DC (S_PENDING).</summary>
    I_PENDING,
    /// <summary>Hold (or join) an election.</summary>
    I_ELECTION,
    /// <summary>This node won the election.</summary>
    I_ELECTION_DC,
    /// <summary>Join confirmed by the DC: a plain member.</summary>
    I_NOT_DC,
    /// <summary>Every welcomed node answered (or integration timed out).</summary>
    I_INTEGRATED,
    /// <summary>Every integrated node confirmed.</summary>
    I_FINALIZED,
    /// <summary>A node to (re-)integrate.</summary>
    I_NODE_JOIN,
    /// <summary>Something changed: run the scheduler.</summary>
    I_PE_CALC,
    /// <summary>The scheduler produced a graph.</summary>
    I_PE_SUCCESS,
    /// <summary>The graph completed (or was empty).</summary>
    I_TE_SUCCESS,
    /// <summary>Give up the DC role (another node wins).</summary>
    I_RELEASE_DC,
    I_RELEASE_SUCCESS,
    I_SHUTDOWN,
    I_TERMINATE,
}
