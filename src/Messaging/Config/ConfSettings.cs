using System.Collections;
using System.Collections.Immutable;
using Cluster.Messaging.Cmap;

namespace Cluster.Messaging.Config;

/// <summary>
/// The keys one config section sets explicitly (relative names such as <c>token</c> or
/// <c>device.votes</c>), typed, compared by value. Absent keys take corosync's defaults in the
/// typed accessors of the section records.
/// </summary>
public sealed class ConfSettings : IReadOnlyCollection<KeyValuePair<string, CmapValue>>, IEquatable<ConfSettings>
{
    private readonly ImmutableSortedDictionary<string, CmapValue> _values;

    private ConfSettings(ImmutableSortedDictionary<string, CmapValue> values) => _values = values;

    public static ConfSettings Empty { get; } = new(ImmutableSortedDictionary.Create<string, CmapValue>(StringComparer.Ordinal));

    public static ConfSettings From(IEnumerable<KeyValuePair<string, CmapValue>> values) =>
        new(ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, values));

    public ConfSettings With(string key, CmapValue value) => new(_values.SetItem(key, value));

    public ConfSettings Without(string key) => new(_values.Remove(key));

    public CmapValue? this[string key] => _values.TryGetValue(key, out var value) ? value : null;

    public bool Contains(string key) => _values.ContainsKey(key);

    public string? Str(string key) => this[key] is { Type: CmapType.String } v ? v.AsString : null;

    public uint? U32(string key) => this[key] is { } v && v.Type.IsInteger() ? (uint)v.AsInteger : null;

    public int? I32(string key) => this[key] is { } v && v.Type.IsInteger() ? (int)v.AsInteger : null;

    public ulong? U64(string key) => this[key] is { } v && v.Type.IsInteger() ? (ulong)v.AsInteger : null;

    /// <summary>A yes/no style flag; corosync accepts yes/on/1 as true for these string keys.</summary>
    public bool? Flag(string key) => Str(key) switch
    {
        null => null,
        "yes" or "on" or "1" or "true" => true,
        _ => false,
    };

    public int Count => _values.Count;
    public IEnumerator<KeyValuePair<string, CmapValue>> GetEnumerator() => _values.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public bool Equals(ConfSettings? other) =>
        other is not null && other._values.Count == _values.Count
        && _values.All(kv => other._values.TryGetValue(kv.Key, out var v) && v.Equals(kv.Value));

    public override bool Equals(object? obj) => Equals(obj as ConfSettings);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var (key, value) in _values)
        {
            hash.Add(key);
            hash.Add(value);
        }
        return hash.ToHashCode();
    }

    public override string ToString() => string.Join(", ", _values.Select(kv => $"{kv.Key}={kv.Value.Format()}"));
}
