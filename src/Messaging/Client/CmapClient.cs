using Cluster.Messaging.Ipc;

namespace Cluster.Messaging.Client;

/// <summary>cmap over the daemon connection: get, iterate by prefix, set, delete, track.</summary>
public sealed class CmapClient(CorosyncConnection connection)
{
    public CorosyncConnection Connection { get; } = connection;

    /// <summary>The key's (type, value text), or null when it does not exist.</summary>
    public async Task<CmapItem?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        try
        {
            var reply = await Connection.RequestAsync<CmapValueReply>(new CmapGetRequest(key), cancellationToken).ConfigureAwait(false);
            return new CmapItem(key, reply.Type, reply.Value);
        }
        catch (CorosyncRequestException e) when (e.Error == "CS_ERR_NOT_EXIST")
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<CmapItem>> IterateAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        var reply = await Connection.RequestAsync<CmapItemsReply>(new CmapIterRequest(prefix), cancellationToken).ConfigureAwait(false);
        return reply.Items;
    }

    public Task SetAsync(string key, string type, string value, CancellationToken cancellationToken = default) =>
        Connection.RequestAsync(new CmapSetRequest(key, type, value), cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        Connection.RequestAsync(new CmapDeleteRequest(key), cancellationToken);

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        Connection.RequestAsync(new CmapDeletePrefixRequest(prefix), cancellationToken);

    /// <summary>Starts tracking; changes arrive on the connection's events as <see cref="CmapTrackCallback"/>.</summary>
    public async Task<long> TrackAsync(string key, bool prefix, CancellationToken cancellationToken = default)
    {
        var reply = await Connection.RequestAsync<CmapTrackReply>(new CmapTrackRequest(key, prefix), cancellationToken).ConfigureAwait(false);
        return reply.TrackId;
    }
}
