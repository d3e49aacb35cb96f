namespace Cluster.Crm.CibClient;

/// <summary>
/// Outcome of a CIB request. The numbers are the exit codes Pacemaker 2.1.5's cibadmin uses
/// for them (crm_exit_t), so a tool can exit with (int)code.
/// </summary>
public enum CibResultCode
{
    Ok = 0,
    Error = 1,
    InvalidParameter = 2,
    InsufficientPrivileges = 4,
    UsageError = 64,
    DataError = 65,
    NotFound = 105,
    Old = 103,
    Unavailable = 69,
    SoftwareError = 70,
    ConfigInvalid = 78,
    NotConnected = 102,
    Digest = 104,
    Exists = 108,
    Timeout = 124,
}
