using Cluster.Messaging.Client;
using Cluster.Messaging.Cmap;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Messaging;

/// <summary>corosync-cmapctl against the running daemon: list, -g, -s, -d, -D, -t/-T (track).</summary>
internal static class CorosyncCmapctlLive
{
    public static async Task<int> RunAsync(ToolContext context, CorosyncCmapctlTool.Options options)
    {
        await using var connection = await DaemonConnection.TryConnectAsync(context).ConfigureAwait(false);
        if (connection is null)
        {
            context.Err.WriteLine("Failed to initialize the cmap API. Error CS_ERR_LIBRARY");
            return 1;
        }
        var cmap = new CmapClient(connection);
        try
        {
            if (options.SetKey is { } setKey)
            {
                if (options.Prefixes.Count != 2 || !CmapTypes.TryParseName(options.Prefixes[0], out var type))
                {
                    context.Err.WriteLine("Unknown type or wrong number of arguments for -s (expected: -s key type value)");
                    return 1;
                }
                if (!CmapValue.TryParse(type, options.Prefixes[1], out _))
                {
                    context.Err.WriteLine($"Can't set key {setKey}. Error CS_ERR_INVALID_PARAM");
                    return 1;
                }
                try
                {
                    await cmap.SetAsync(setKey, options.Prefixes[0], options.Prefixes[1]).ConfigureAwait(false);
                }
                catch (CorosyncRequestException e)
                {
                    context.Err.WriteLine($"Can't set key {setKey}. Error {e.Error}");
                    return 1;
                }
                return 0;
            }
            if (options.DeleteKeys is { Count: > 0 } deletes)
            {
                int code = 0;
                foreach (var key in deletes.Concat(options.Prefixes))
                {
                    try
                    {
                        if (options.DeletePrefix)
                        {
                            // As the real tool: iterate the prefix and delete key by key, one
                            // line per key the daemon refuses (read-only keys: CS_ERR_ACCESS).
                            foreach (var item in await cmap.IterateAsync(key).ConfigureAwait(false))
                            {
                                try
                                {
                                    await cmap.DeleteAsync(item.Key).ConfigureAwait(false);
                                }
                                catch (CorosyncRequestException e)
                                {
                                    context.Err.WriteLine($"Can't delete key {item.Key}. Error {e.Error}");
                                }
                            }
                        }
                        else
                            await cmap.DeleteAsync(key).ConfigureAwait(false);
                    }
                    catch (CorosyncRequestException e)
                    {
                        context.Err.WriteLine($"Can't delete key {key}. Error {e.Error}");
                        code = 1;
                    }
                }
                return code;
            }
            if (options.GetKey is { } getKey)
            {
                var item = await cmap.GetAsync(getKey).ConfigureAwait(false);
                if (item is null)
                {
                    context.Err.WriteLine($"Can't get key {getKey}. Error CS_ERR_NOT_EXIST");
                    return 1;
                }
                context.Out.WriteLine(options.Quiet ? item.Value : $"{item.Key} ({item.Type}) = {item.Value}");
                return 0;
            }
            var items = await cmap.IterateAsync().ConfigureAwait(false);
            foreach (var item in items)
            {
                if (options.Prefixes.Count == 0 || options.Prefixes.Any(p => item.Key.StartsWith(p, StringComparison.Ordinal)))
                    context.Out.WriteLine($"{item.Key} ({item.Type}) = {item.Value}");
            }
            return 0;
        }
        catch (CorosyncUnavailableException e)
        {
            context.Err.WriteLine(e.Message);
            return 1;
        }
    }
}
