using Cluster.Messaging.Ipc;

namespace Cluster.Messaging.Client;

/// <summary>votequorum over the daemon connection: status, tracking, run-time expected votes.</summary>
public sealed class QuorumClient(CorosyncConnection connection)
{
    public CorosyncConnection Connection { get; } = connection;

    public async Task<QuorumInfo> GetStatusAsync(CancellationToken cancellationToken = default)
    {
        var reply = await Connection.RequestAsync<QuorumStatusReply>(new QuorumStatusRequest(), cancellationToken).ConfigureAwait(false);
        return reply.Quorum;
    }

    /// <summary>Starts tracking; the current state and every change arrive as <see cref="QuorumEventCallback"/>.</summary>
    public Task TrackAsync(CancellationToken cancellationToken = default) =>
        Connection.RequestAsync(new QuorumTrackRequest(), cancellationToken);

    public Task SetExpectedVotesAsync(uint expected, CancellationToken cancellationToken = default) =>
        Connection.RequestAsync(new QuorumSetExpectedRequest(expected), cancellationToken);

    public Task SetVotesAsync(uint node, uint votes, CancellationToken cancellationToken = default) =>
        Connection.RequestAsync(new QuorumSetVotesRequest(node, votes), cancellationToken);
}
