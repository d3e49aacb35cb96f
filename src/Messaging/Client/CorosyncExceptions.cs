namespace Cluster.Messaging.Client;

/// <summary>The daemon is not running or the connection to it was lost.</summary>
public sealed class CorosyncUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The daemon refused a request; <see cref="Error"/> is the cs_error_t name (CS_ERR_NOT_EXIST, ...),
/// <see cref="Detail"/> the daemon's words when it could not read the request.
/// </summary>
public sealed class CorosyncRequestException(string op, string error, string? detail = null)
    : Exception(detail is null ? $"{op} failed: {error}" : $"{op} failed: {error} ({detail})")
{
    public string Error { get; } = error;
    public string? Detail { get; } = detail;
}
