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
            var reply = await Connection.RequestAsync(new IpcMessage { Op = "cmap.get", Key = key }, cancellationToken).ConfigureAwait(false);
            return new CmapItem(key, reply.Type!, reply.Value!);
        }
        catch (CorosyncRequestException e) when (e.Error == "CS_ERR_NOT_EXIST")
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<CmapItem>> IterateAsync(string prefix = "", CancellationToken cancellationToken = default)
    {
        var reply = await Connection.RequestAsync(new IpcMessage { Op = "cmap.iter", Key = prefix }, cancellationToken).ConfigureAwait(false);
        return reply.Items ?? [];
    }

    public Task SetAsync(string key, string type, string value, CancellationToken cancellationToken = default) =>
        Connection.RequestAsync(new IpcMessage { Op = "cmap.set", Key = key, Type = type, Value = value }, cancellationToken);

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default) =>
        Connection.RequestAsync(new IpcMessage { Op = "cmap.delete", Key = key }, cancellationToken);

    public Task DeletePrefixAsync(string prefix, CancellationToken cancellationToken = default) =>
        Connection.RequestAsync(new IpcMessage { Op = "cmap.delete_prefix", Key = prefix }, cancellationToken);

    /// <summary>Starts tracking; changes arrive on the connection's events as <c>cmap.event</c>.</summary>
    public async Task<long> TrackAsync(string key, bool prefix, CancellationToken cancellationToken = default)
    {
        var reply = await Connection.RequestAsync(new IpcMessage { Op = "cmap.track", Key = key, Prefix = prefix }, cancellationToken).ConfigureAwait(false);
        return reply.TrackId;
    }
}
