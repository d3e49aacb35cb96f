namespace Cluster.Messaging.Cmap;

/// <summary>A cmap key and its typed value; prints as corosync-cmapctl does: <c>key (type) = value</c>.</summary>
public sealed record CmapEntry(string Key, CmapValue Value)
{
    public override string ToString() => $"{Key} ({Value.Type.Name()}) = {Value.Format()}";

    /// <summary>corosync-cmapctl lists keys in byte order of their names.</summary>
    public static IComparer<CmapEntry> KeyOrder { get; } =
        Comparer<CmapEntry>.Create((a, b) => string.CompareOrdinal(a.Key, b.Key));
}
