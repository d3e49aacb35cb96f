using Cluster.Crm.Attributes;
using Cluster.Crm.Node;

namespace Cluster.Crm.Daemon;

/// <summary>
/// attrd's local socket (<c>attrd.sock</c>): attrd_updater's and crm_attribute's requests become
/// <see cref="AttributeClientRequest"/> inputs of the node's loop; its
/// <see cref="AttributeClientReply"/> effects go back to the caller. A request the node cannot
/// take (no name, no value) is answered here with the reason.
/// </summary>
public sealed class AttributeServer : IDisposable
{
    private readonly LocalSocketServer _server;
    private readonly string _localNode;
    private readonly Func<NodeInput, bool> _post;

    public AttributeServer(string socketPath, string localNode, Func<NodeInput, bool> post, Action<string, string> log)
    {
        _localNode = localNode;
        _post = post;
        _server = new LocalSocketServer(socketPath, OnFrameAsync,
            AttributeClientWire.Encode(new AttributeWireReply(0, AttributeClientWire.PermissionDenied)), log);
    }

    public Task RunAsync() => _server.RunAsync();

    public ValueTask RespondAsync(AttributeClientReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var values = reply.Values is null ? null : new Dictionary<string, string>(reply.Values, StringComparer.Ordinal);
        return _server.SendAsync(reply.ClientId, AttributeClientWire.Encode(new AttributeWireReply(reply.CallId, reply.Error, values)));
    }

    private async ValueTask<bool> OnFrameAsync(long clientId, byte[] body)
    {
        var request = AttributeClientWire.DecodeRequest(body);
        if (request is null || request.CallId <= 0)
            return false;
        var operation = AttributeClientWire.ToOperation(request, _localNode, out var error);
        if (operation is null)
        {
            await _server.SendAsync(clientId, AttributeClientWire.Encode(new AttributeWireReply(request.CallId, error))).ConfigureAwait(false);
            return true;
        }
        return _post(new AttributeClientRequest(clientId, request.CallId, operation));
    }

    public void Dispose() => _server.Dispose();
}
