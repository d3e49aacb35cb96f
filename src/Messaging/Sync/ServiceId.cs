namespace Cluster.Messaging.Sync;

/// <summary>Corosync's service numbers (they also name the runtime.services.* cmap keys).</summary>
public enum ServiceId : ushort
{
    Cmap = 0,
    Cfg = 1,
    Cpg = 2,
    Quorum = 3,
    Pload = 4,
    Votequorum = 5,
    Mon = 6,
    Wd = 7,
}
