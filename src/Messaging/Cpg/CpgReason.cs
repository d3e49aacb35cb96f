namespace Cluster.Messaging.Cpg;

/// <summary>Why a process appears in a CPG configuration change (libcpg's CPG_REASON_*).</summary>
public enum CpgReason : uint
{
    Undefined = 0,
    Join = 1,
    Leave = 2,
    NodeDown = 3,
    NodeUp = 4,
    ProcDown = 5,
}

/// <summary>Result of a local CPG request, named as libcpg's cs_error_t.</summary>
public enum CpgResult
{
    Ok,
    /// <summary>CS_ERR_EXIST: already joined.</summary>
    Exist,
    /// <summary>CS_ERR_NOT_EXIST: not a member of that group.</summary>
    NotExist,
    /// <summary>CS_ERR_INVALID_PARAM: empty or longer than 128 bytes.</summary>
    InvalidParam,
}
