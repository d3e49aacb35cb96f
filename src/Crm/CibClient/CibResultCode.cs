namespace Cluster.Crm.CibClient;

/// <summary>
/// Outcome of a CIB request. The numbers are the exit codes Pacemaker 2.1.5's cibadmin exits
/// with for them (crm_exit_t, checked against the real cibadmin with CIB_file), so a tool can
/// exit with (int)code.
/// </summary>
public enum CibResultCode
{
    Ok = 0,
    Error = 1,
    InvalidParameter = 2,
    InsufficientPrivileges = 4,
    UsageError = 64,
    DataError = 65,
    /// <summary>Malformed request (no input, EINVAL): "Invalid argument".</summary>
    SoftwareError = 70,
    Unavailable = 69,
    /// <summary>Schema violation or unparseable XML: "Update does not conform to the configured schema".</summary>
    ConfigInvalid = 78,
    /// <summary>No manager to talk to: "Transport endpoint is not connected".</summary>
    NotConnected = 102,
    /// <summary>A replace older than the current CIB: "Update was older than existing configuration".</summary>
    Old = 103,
    Digest = 104,
    /// <summary>Scope or xpath or object not found (ENXIO): "No such device or address".</summary>
    NotFound = 105,
    /// <summary>A dangerous request (erase, upgrade) without --force.</summary>
    Unsafe = 107,
    /// <summary>Create of an object whose id exists: "File exists".</summary>
    Exists = 108,
    Timeout = 124,
}
