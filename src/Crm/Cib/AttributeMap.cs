using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Cluster.Crm.Cib;

/// <summary>
/// The attributes of one XML element as a small read-only dictionary: two parallel arrays, looked
/// up linearly. A status section holds hundreds of thousands of history entries with the same
/// dozen attribute names in the same order, so the name array is shared between them (see
/// <see cref="AttributeShapes"/>) and each entry pays for its values only, where a hash-based
/// dictionary per entry would cost about ten times as much.
/// </summary>
internal sealed class AttributeMap : IReadOnlyDictionary<string, string>
{
    private readonly string[] _names;
    private string[]? _values;
    // A map read from a UTF-8 document decodes its values from there on first use.
    private readonly byte[]? _document;
    private readonly int _start, _end;

    /// <summary>The first occurrence of a name wins; <paramref name="names"/> may be shared, never changed.</summary>
    internal AttributeMap(string[] names, string[] values)
    {
        _names = names;
        _values = values;
    }

    /// <summary>
    /// The attributes of the start tag whose attribute list is <paramref name="document"/>[start..end)
    /// (already checked by <see cref="Utf8CibReader"/>), named <paramref name="names"/>; values are
    /// decoded when first asked for (the scheduler reads a few typed fields of most entries, which
    /// the reader extracts itself, and the full attribute set of very few).
    /// </summary>
    internal AttributeMap(string[] names, byte[] document, int start, int end)
    {
        _names = names;
        _document = document;
        _start = start;
        _end = end;
    }

    // Decoding twice under a race gives equal arrays; either may win.
    private string[] ValueArray => _values ??= Utf8CibReader.DecodeAttributeValues(_document!, _start, _end, _names.Length);

    public static AttributeMap Empty { get; } = new([], []);

    /// <summary>From name/value pairs in document order; a repeated name keeps its first value.</summary>
    public static AttributeMap From(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var names = new List<string>();
        var values = new List<string>();
        foreach (var (name, value) in pairs)
        {
            if (names.Contains(name, StringComparer.Ordinal)) continue;
            names.Add(name);
            values.Add(value);
        }
        return new AttributeMap([.. names], [.. values]);
    }

    public int Count => _names.Length;

    public string this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException($"no attribute '{key}'");

    public IEnumerable<string> Keys => _names;

    public IEnumerable<string> Values => ValueArray;

    public bool ContainsKey(string key) => IndexOf(key) >= 0;

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        var i = IndexOf(key);
        if (i < 0)
        {
            value = null;
            return false;
        }
        value = ValueArray[i];
        return true;
    }

    /// <summary>The value or null.</summary>
    public string? Get(string key)
    {
        var i = IndexOf(key);
        return i < 0 ? null : ValueArray[i];
    }

    private int IndexOf(string key)
    {
        var names = _names;
        for (var i = 0; i < names.Length; i++)
            if (ReferenceEquals(names[i], key) || string.Equals(names[i], key, StringComparison.Ordinal))
                return i;
        return -1;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        var values = ValueArray;
        for (var i = 0; i < _names.Length; i++)
            yield return new KeyValuePair<string, string>(_names[i], values[i]);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
