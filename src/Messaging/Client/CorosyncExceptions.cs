namespace Cluster.Messaging.Client;

/// <summary>The daemon is not running or the connection to it was lost.</summary>
public sealed class CorosyncUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The daemon refused a request; <see cref="Error"/> is the cs_error_t name (CS_ERR_NOT_EXIST, ...).</summary>
public sealed class CorosyncRequestException(string op, string error) : Exception($"{op} failed: {error}")
{
    public string Error { get; } = error;
}
