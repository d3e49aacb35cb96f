namespace Cluster.Crm.CibClient;

/// <summary>
/// No CIB to talk to: the manager is not running (<see cref="CibResultCode.NotConnected"/>,
/// "Transport endpoint is not connected"), or CIB_file names a missing/unreadable/invalid file.
/// <see cref="Reason"/> is Pacemaker's text; each tool wraps it in its own wording
/// (cibadmin: "Could not connect to the CIB: {Reason}").
/// </summary>
public sealed class CibConnectionException : Exception
{
    public CibResultCode Code { get; }

    public string Reason { get; }

    public CibConnectionException(CibResultCode code, string reason) : base(reason)
    {
        Code = code;
        Reason = reason;
    }

    public CibConnectionException() : this(CibResultCode.NotConnected, CibErrors.NotConnected) { }

    public CibConnectionException(string message) : this(CibResultCode.NotConnected, message) { }

    public CibConnectionException(string message, Exception inner) : base(message, inner)
    {
        Code = CibResultCode.NotConnected;
        Reason = message;
    }
}
