namespace Cluster.Agents.Metadata;

/// <summary>Meta-data that is not usable XML or lacks what the API requires; says where.</summary>
public sealed class MetadataFormatException(string message, Exception? inner = null) : Exception(message, inner);
