using System.Xml.Linq;
using Cluster.Crm.Fencing;

namespace Cluster.Crm.Daemon;

/// <summary>
/// The fencer's local socket (<c>stonith-ng.sock</c>), stonith_admin's way in: lists devices from
/// the latest CIB the node has, fences through <see cref="Fencer"/> (this node carries out the
/// operation and records it in the history), and answers history queries. Each request runs off
/// the node's loop; a fence can take the agent's whole timeout.
/// </summary>
public sealed class FencerServer : IDisposable
{
    private readonly LocalSocketServer _server;
    private readonly Fencer _fencer;
    private readonly string _localNode;
    private readonly CancellationToken _stop;
    private XElement _cib;

    public FencerServer(string socketPath, Fencer fencer, string localNode, XElement cib, Action<string, string> log, CancellationToken stop)
    {
        _fencer = fencer;
        _localNode = localNode;
        _cib = cib;
        _stop = stop;
        _server = new LocalSocketServer(socketPath, OnFrameAsync, FencerWire.Encode(new FencerWireReply(0, FencerWire.PermissionDenied)), log);
    }

    public Task RunAsync() => _server.RunAsync();

    /// <summary>The node's CIB changed: later requests see the new one (an immutable snapshot).</summary>
    public void UpdateCib(XElement cib) => Volatile.Write(ref _cib, cib);

    private ValueTask<bool> OnFrameAsync(long clientId, byte[] body)
    {
        var request = FencerWire.DecodeRequest(body);
        if (request is null || request.CallId <= 0)
            return ValueTask.FromResult(false);
        _ = Task.Run(async () => await _server.SendAsync(clientId, FencerWire.Encode(await HandleAsync(request).ConfigureAwait(false))).ConfigureAwait(false));
        return ValueTask.FromResult(true);
    }

    private async Task<FencerWireReply> HandleAsync(FencerWireRequest r)
    {
        var cib = Volatile.Read(ref _cib);
        var timeout = TimeSpan.FromMilliseconds(r.TimeoutMs is > 0 ? r.TimeoutMs.Value : 120_000);
        switch (r.Command)
        {
            case FencerCommand.ListRegistered:
                return new FencerWireReply(r.CallId, null, Devices: [.. FencingPlan.Devices(cib, []).Select(d => d.Id)]);
            case FencerCommand.ListFor when !string.IsNullOrEmpty(r.Target):
                return new FencerWireReply(r.CallId, null, Devices: [.. await _fencer.DevicesForAsync(cib, r.Target, timeout, _stop).ConfigureAwait(false)]);
            case FencerCommand.Fence when !string.IsNullOrEmpty(r.Target) && r.Action is "off" or "reboot" or "on":
                if (!Fencer.HasLevelFor(cib, r.Target))
                    return new FencerWireReply(r.CallId, "No such device", 105);
                var (ok, _) = await _fencer.FenceAsync(cib, r.Target, r.Action, timeout, _localNode, _stop, r.Client ?? "stonith_admin").ConfigureAwait(false);
                return ok ? new FencerWireReply(r.CallId, null) : new FencerWireReply(r.CallId, "Error occurred", 1);
            case FencerCommand.History:
                var target = string.IsNullOrEmpty(r.Target) ? "*" : r.Target;
                return new FencerWireReply(r.CallId, null, History: [.. _fencer.History
                    .Where(h => target == "*" || h.Target == target)
                    .Select(h => new FencerWireEvent(h.Target, h.Action, h.Origin, h.Client, h.Origin, h.Succeeded, h.Detail, h.When.ToUnixTimeMilliseconds()))]);
            default:
                return new FencerWireReply(r.CallId, "Invalid argument", 64);
        }
    }

    public void Dispose() => _server.Dispose();
}
