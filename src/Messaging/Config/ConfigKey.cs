using Cluster.Messaging.Cmap;

namespace Cluster.Messaging.Config;

/// <summary>One parsed <c>key: value</c>, under its full cmap path, typed, with the line it came from.</summary>
public sealed record ConfigKey(string Path, CmapValue Value, int Line);
