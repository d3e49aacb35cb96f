namespace Cluster.Crm.CibClient;

/// <summary>
/// What every CIB tool (cibadmin, pcs, crm_mon, crm_resource, crm_attribute, crm_node, ...)
/// talks to: the live CIB manager over its local socket, or a file when CIB_file is set (as
/// Pacemaker's clients do). <see cref="Changed"/> is raised after every change the client
/// sees (live: the manager's diff notifications; file: after this client's own writes), so a
/// live view redraws on change instead of polling.
/// </summary>
public interface ICibClient : IDisposable
{
    CibReply Execute(CibRequest request);

    event Action<CibChange>? Changed;
}

/// <summary>A change notification: the new version of the CIB ("admin_epoch.epoch.num_updates").</summary>
public sealed record CibChange(string Version);
