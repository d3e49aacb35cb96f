namespace Cluster.Crm.Cib;

/// <summary>(admin_epoch, epoch, num_updates), compared in that order; the greater wins.</summary>
public readonly record struct CibVersion(long AdminEpoch, long Epoch, long NumUpdates) : IComparable<CibVersion>
{
    public int CompareTo(CibVersion other)
    {
        int c = AdminEpoch.CompareTo(other.AdminEpoch);
        if (c != 0) return c;
        c = Epoch.CompareTo(other.Epoch);
        return c != 0 ? c : NumUpdates.CompareTo(other.NumUpdates);
    }

    public static bool operator <(CibVersion a, CibVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(CibVersion a, CibVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(CibVersion a, CibVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(CibVersion a, CibVersion b) => a.CompareTo(b) >= 0;

    /// <summary>A configuration change: epoch+1, num_updates reset.</summary>
    public CibVersion BumpEpoch() => this with { Epoch = Epoch + 1, NumUpdates = 0 };

    /// <summary>A status-only change.</summary>
    public CibVersion BumpUpdates() => this with { NumUpdates = NumUpdates + 1 };

    public override string ToString() => $"{AdminEpoch}.{Epoch}.{NumUpdates}";
}
