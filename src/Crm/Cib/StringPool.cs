namespace Cluster.Crm.Cib;

/// <summary>
/// Interns the attribute values of one document: a status section repeats the same ids, node
/// names, digests and numbers once per node, and keeping one copy of each bounds the model's size
/// by the number of distinct values instead of the size of the file.
/// </summary>
internal sealed class StringPool
{
    private readonly HashSet<string> _strings = new(StringComparer.Ordinal);

    public string Intern(string s)
    {
        if (s.Length == 0) return "";
        if (_strings.TryGetValue(s, out var pooled)) return pooled;
        _strings.Add(s);
        return s;
    }
}
