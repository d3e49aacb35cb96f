using System.Threading.Channels;
using Cluster.Messaging.Ipc;

namespace Cluster.Messaging.Client;

/// <summary>A CPG callback as the client library hands it to the application.</summary>
public abstract record CpgClientEvent;

public sealed record CpgClientMessage(string Group, uint NodeId, uint Pid, byte[] Data) : CpgClientEvent;

public sealed record CpgClientConfigurationChange(string Group, IReadOnlyList<CpgMemberInfo> Members, IReadOnlyList<CpgMemberInfo> Left,
    IReadOnlyList<CpgMemberInfo> Joined) : CpgClientEvent;

public sealed record CpgClientTotemChange(string RingId, IReadOnlyList<uint> Members) : CpgClientEvent;

/// <summary>The connection to the daemon was lost; the client reconnects and re-joins its groups.</summary>
public sealed record CpgClientDisconnected(string Reason) : CpgClientEvent;

/// <summary>Connected again after a loss; groups were joined again (their confchgs follow).</summary>
public sealed record CpgClientReconnected : CpgClientEvent;

/// <summary>
/// Closed process groups for an application: join, leave, send, and an ordered stream of
/// callbacks. If the daemon restarts, the client reconnects (bounded retries with back-off) and
/// joins its groups again, announcing both on <see cref="Events"/>.
/// </summary>
public sealed class CpgClient : IAsyncDisposable
{
    private readonly string _socketPath;
    private readonly HashSet<string> _groups = new(StringComparer.Ordinal);
    private readonly Channel<CpgClientEvent> _events = Channel.CreateUnbounded<CpgClientEvent>();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _lock = new(1, 1);
    private CorosyncConnection _connection;
    private Task _pump;

    private CpgClient(string socketPath, CorosyncConnection connection, uint localNode)
    {
        _socketPath = socketPath;
        _connection = connection;
        LocalNodeId = localNode;
        _pump = Task.Run(() => PumpAsync(connection));
    }

    /// <summary>This node's id (cpg_local_get).</summary>
    public uint LocalNodeId { get; private set; }

    public ChannelReader<CpgClientEvent> Events => _events.Reader;

    /// <summary>Retry schedule after a lost connection: attempts and the pause between them.</summary>
    public int ReconnectAttempts { get; init; } = 50;
    public TimeSpan ReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public static async Task<CpgClient> ConnectAsync(string socketPath, CancellationToken cancellationToken = default)
    {
        var connection = await CorosyncConnection.ConnectAsync(socketPath, cancellationToken).ConfigureAwait(false);
        var reply = await connection.RequestAsync<CpgInitReply>(new CpgInitRequest(), cancellationToken).ConfigureAwait(false);
        return new CpgClient(socketPath, connection, reply.NodeId);
    }

    public async Task JoinAsync(string group, CancellationToken cancellationToken = default)
    {
        await _connection.RequestAsync(new CpgJoinRequest(group), cancellationToken).ConfigureAwait(false);
        _groups.Add(group);
    }

    public async Task LeaveAsync(string group, CancellationToken cancellationToken = default)
    {
        await _connection.RequestAsync(new CpgLeaveRequest(group), cancellationToken).ConfigureAwait(false);
        _groups.Remove(group);
    }

    public Task SendAsync(string group, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        _connection.RequestAsync(new CpgMcastRequest(group, data.ToArray()), cancellationToken);

    public async Task<IReadOnlyList<CpgMemberInfo>> MembersAsync(string group, CancellationToken cancellationToken = default)
    {
        var reply = await _connection.RequestAsync<CpgMembersReply>(new CpgMembersRequest(group), cancellationToken).ConfigureAwait(false);
        return reply.Members;
    }

    private async Task PumpAsync(CorosyncConnection connection)
    {
        await foreach (var m in connection.Events.ReadAllAsync().ConfigureAwait(false))
        {
            CpgClientEvent? e = m switch
            {
                CpgDeliverCallback d => new CpgClientMessage(d.Group, d.NodeId, d.Pid, d.Data),
                CpgConfchgCallback c => new CpgClientConfigurationChange(c.Group, c.Members, c.Left, c.Joined),
                CpgTotemCallback t => new CpgClientTotemChange(t.RingId, t.Nodes),
                _ => null,
            };
            if (e is not null)
                _events.Writer.TryWrite(e);
        }
        if (_stop.IsCancellationRequested)
        {
            _events.Writer.TryComplete();
            return;
        }
        _events.Writer.TryWrite(new CpgClientDisconnected($"lost the connection to corosync at {_socketPath}"));
        await ReconnectAsync().ConfigureAwait(false);
    }

    private async Task ReconnectAsync()
    {
        for (int attempt = 0; attempt < ReconnectAttempts && !_stop.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.Delay(ReconnectDelay, _stop.Token).ConfigureAwait(false);
                var connection = await CorosyncConnection.ConnectAsync(_socketPath, _stop.Token).ConfigureAwait(false);
                var reply = await connection.RequestAsync<CpgInitReply>(new CpgInitRequest(), _stop.Token).ConfigureAwait(false);
                LocalNodeId = reply.NodeId;
                var old = _connection;
                _connection = connection;
                await old.DisposeAsync().ConfigureAwait(false);
                _pump = Task.Run(() => PumpAsync(connection));
                foreach (var group in _groups.ToList())
                    await connection.RequestAsync(new CpgJoinRequest(group), _stop.Token).ConfigureAwait(false);
                _events.Writer.TryWrite(new CpgClientReconnected());
                return;
            }
            catch (Exception e) when (e is CorosyncUnavailableException or CorosyncRequestException)
            {
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        _events.Writer.TryComplete(new CorosyncUnavailableException($"corosync did not come back at {_socketPath}"));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _pump.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        _events.Writer.TryComplete();
        _lock.Dispose();
        _stop.Dispose();
    }
}
