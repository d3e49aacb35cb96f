using Cluster.Messaging.Ipc;

namespace Cluster.Messaging.Client;

/// <summary>votequorum over the daemon connection: status, tracking, run-time expected votes.</summary>
public sealed class QuorumClient(CorosyncConnection connection)
{
    public CorosyncConnection Connection { get; } = connection;

    public async Task<QuorumInfo> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var reply = await Connection.RequestAsync(new IpcMessage { Op = "quorum.status" }, cancellationToken).ConfigureAwait(false);
        return reply.Quorum ?? throw new CorosyncRequestException("quorum.status", "CS_ERR_LIBRARY");
    }

    /// <summary>Starts tracking; the current state and every change arrive as <c>quorum.event</c> (Quorate, RingId, Nodes).</summary>
    public Task TrackAsync(CancellationToken cancellationToken = default) =>
        Connection.RequestAsync(new IpcMessage { Op = "quorum.track" }, cancellationToken);

    public Task SetExpectedVotesAsync(uint expected, CancellationToken cancellationToken = default) =>
        Connection.RequestAsync(new IpcMessage { Op = "quorum.set_expected", Value = expected.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken);

    public Task SetVotesAsync(uint node, uint votes, CancellationToken cancellationToken = default) =>
        Connection.RequestAsync(new IpcMessage { Op = "quorum.set_votes", NodeId = node, Value = votes.ToString(System.Globalization.CultureInfo.InvariantCulture) }, cancellationToken);
}
