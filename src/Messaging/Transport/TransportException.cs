namespace Cluster.Messaging.Transport;

/// <summary>A transport cannot start or run (bind failure, no matching local address, ...).</summary>
public sealed class TransportException : Exception
{
    public TransportException(string message) : base(message)
    {
    }

    public TransportException(string message, Exception inner) : base(message, inner)
    {
    }
}
