using System.Net;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Transport;

/// <summary>One link from this node to a peer as the transport sees it now.</summary>
public sealed record LinkStatus(NodeId Peer, int Link, IPEndPoint Remote, bool Connected, bool Active);
