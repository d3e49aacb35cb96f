namespace Cluster.Crm.CibClient;

/// <summary>The operations a CIB client asks of the CIB manager (cibadmin's verbs).</summary>
public enum CibCommand
{
    Query,
    Create,
    Modify,
    Replace,
    Delete,
    Erase,
    Upgrade,
    Bump,
}
