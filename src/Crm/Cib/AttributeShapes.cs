namespace Cluster.Crm.Cib;

/// <summary>
/// Shares attribute-name arrays between elements that carry the same names in the same order
/// (every history entry written by the same Pacemaker version does). The names come from the
/// reader's name table, so a shape matches by reference; the most recently used shape is tried
/// first because consecutive entries almost always agree.
/// </summary>
internal sealed class AttributeShapes
{
    // Beyond this many distinct shapes (a hand-edited file), entries keep their own name arrays.
    private const int MaxShapes = 64;
    private readonly List<string[]> _shapes = [];
    private int _last;

    /// <summary>The shared array equal to <paramref name="names"/>, or a new one.</summary>
    public string[] Get(ReadOnlySpan<string> names)
    {
        if (_last < _shapes.Count && Same(_shapes[_last], names)) return _shapes[_last];
        for (var i = 0; i < _shapes.Count; i++)
        {
            if (!Same(_shapes[i], names)) continue;
            _last = i;
            return _shapes[i];
        }
        var shape = names.ToArray();
        if (_shapes.Count < MaxShapes)
        {
            _shapes.Add(shape);
            _last = _shapes.Count - 1;
        }
        return shape;
    }

    private static bool Same(string[] shape, ReadOnlySpan<string> names)
    {
        if (shape.Length != names.Length) return false;
        for (var i = 0; i < shape.Length; i++)
            if (!ReferenceEquals(shape[i], names[i]) && !string.Equals(shape[i], names[i], StringComparison.Ordinal))
                return false;
        return true;
    }
}
