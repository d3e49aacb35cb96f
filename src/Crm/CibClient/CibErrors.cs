namespace Cluster.Crm.CibClient;

/// <summary>Pacemaker's texts for the CIB result codes (what its strerror prints), verbatim.</summary>
public static class CibErrors
{
    public const string NoSuchObject = "No such device or address";
    public const string Exists = "File exists";
    public const string SchemaViolation = "Update does not conform to the configured schema";
    public const string InvalidArgument = "Invalid argument";
    public const string OldData = "Update was older than existing configuration";
    public const string NotConnected = "Transport endpoint is not connected";
    public const string PermissionDenied = "Permission denied";
    public const string Dangerous = "The supplied command is considered dangerous.  To prevent accidental destruction of the cluster, the --force flag is required in order to proceed.";

    /// <summary>The reply for a result code with Pacemaker's text.</summary>
    public static CibReply Reply(CibResultCode code) => CibReply.Failure(code, Text(code));

    public static string Text(CibResultCode code) => code switch
    {
        CibResultCode.Ok => "OK",
        CibResultCode.NotFound => NoSuchObject,
        CibResultCode.Exists => Exists,
        CibResultCode.ConfigInvalid => SchemaViolation,
        CibResultCode.SoftwareError => InvalidArgument,
        CibResultCode.Old => OldData,
        CibResultCode.NotConnected => NotConnected,
        CibResultCode.InsufficientPrivileges => PermissionDenied,
        CibResultCode.Unsafe => Dangerous,
        CibResultCode.Timeout => "Timer expired",
        _ => "Error occurred",
    };
}
