using Cluster.Messaging.Sync;

namespace Cluster.Messaging.Cmap;

/// <summary>cmap errors, named as corosync's cs_error_t the tools print.</summary>
public enum CmapError
{
    Ok,
    NotExist,
    InvalidParam,
    NameTooLong,
    Access,
    /// <summary>A value over <see cref="CmapStore.MaxValueBytes"/> (CS_ERR_TOO_BIG).</summary>
    TooBig,
    /// <summary>Client-set values would exceed <see cref="CmapStore.MaxClientBytes"/> (CS_ERR_NO_MEMORY).</summary>
    NoMemory,
}

/// <summary>What a track callback reports (corosync-cmapctl prints `create> `, `modify> `, `delete> `).</summary>
public enum CmapChange
{
    Add,
    Modify,
    Delete,
}

/// <summary>A tracked key changed.</summary>
public sealed record CmapTrackEvent(long TrackId, string Key, CmapChange Change, CmapValue? OldValue, CmapValue? NewValue) : ClientEvent;

/// <summary>
/// The local cmap store (icmap): typed keys in ordinal order, prefix iteration, read-only keys,
/// and tracking by key or prefix with callbacks to the tracking client.
/// </summary>
public sealed class CmapStore
{
    private sealed record Tracker(long Id, ClientId Client, string Key, bool Prefix);

    private readonly SortedDictionary<string, CmapValue> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Tracker> _trackers = [];
    private readonly HashSet<string> _readOnly = new(StringComparer.Ordinal);
    private long _nextTrack = 1;
    private long _heldBytes;

    /// <summary>
    /// Prefixes and keys a client may never set or delete, as corosync's main.c marks them: the
    /// daemon's own state and settings that cannot change while it runs (interop-spec B.1).
    /// Without them <c>corosync-cmapctl -D ""</c> deleted the nodelist and every runtime key.
    /// </summary>
    public static readonly IReadOnlyList<string> ReadOnlyPrefixes =
        ["internal_configuration.", "runtime.services.", "runtime.config.", "runtime.totem.", "uidgid.config.", "system.", "nodelist."];

    public static readonly IReadOnlySet<string> ReadOnlyKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "totem.crypto_cipher", "totem.crypto_hash", "totem.crypto_model", "totem.keyfile", "totem.key", "totem.secauth",
        "totem.ip_version", "totem.rrp_mode", "totem.transport", "totem.cluster_name",
    };

    /// <summary>Largest value a client may set: a string or binary beyond it is refused (CS_ERR_TOO_BIG).</summary>
    public const int MaxValueBytes = 64 * 1024;
    /// <summary>Bytes of string and binary values the store may hold before client sets are refused.</summary>
    public const long MaxClientBytes = 16L * 1024 * 1024;

    public int Count => _values.Count;

    /// <summary>Whether clients are refused (CS_ERR_ACCESS) for <paramref name="key"/>.</summary>
    public bool IsReadOnly(string key) =>
        _readOnly.Contains(key) || ReadOnlyKeys.Contains(key) || ReadOnlyPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal));

    private static long Size(CmapValue? value) => value is null ? 0 : value.Type switch
    {
        CmapType.String => value.AsString.Length,
        CmapType.Binary => value.AsBytes.Length,
        _ => 0,
    };

    public static CmapError ValidateKey(string key)
    {
        if (key.Length > 255)
            return CmapError.NameTooLong;
        if (key.Length < 3)
            return CmapError.InvalidParam;
        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or ':' or '-'))
                return CmapError.InvalidParam;
        }
        return CmapError.Ok;
    }

    /// <summary>Keys clients may not change (runtime state the daemon owns).</summary>
    public void MarkReadOnly(string key) => _readOnly.Add(key);

    public CmapValue? Get(string key) => _values.TryGetValue(key, out var v) ? v : null;

    public IEnumerable<KeyValuePair<string, CmapValue>> Iterate(string prefix = "") =>
        _values.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();

    /// <summary>A client's set: refused for invalid keys and read-only ones.</summary>
    public CmapError ClientSet(string key, CmapValue value, ServiceOutput output)
    {
        var error = ValidateKey(key);
        if (error != CmapError.Ok)
            return error;
        if (IsReadOnly(key))
            return CmapError.Access;
        var size = Size(value);
        if (size > MaxValueBytes)
            return CmapError.TooBig;
        var old = Size(Get(key));
        if (_heldBytes - old + size > MaxClientBytes)
            return CmapError.NoMemory;
        Set(key, value, output);
        return CmapError.Ok;
    }

    public CmapError ClientDelete(string key, ServiceOutput output)
    {
        if (IsReadOnly(key))
            return CmapError.Access;
        return Delete(key, output) ? CmapError.Ok : CmapError.NotExist;
    }

    /// <summary>The daemon's own set (runtime keys): always allowed; tracks fire only on a real change.</summary>
    public void Set(string key, CmapValue value, ServiceOutput? output)
    {
        bool existed = _values.TryGetValue(key, out var old);
        if (existed && old!.Equals(value))
            return;
        _heldBytes += Size(value) - Size(old);
        _values[key] = value;
        Fire(key, existed ? CmapChange.Modify : CmapChange.Add, old, value, output);
    }

    public bool Delete(string key, ServiceOutput? output)
    {
        if (!_values.Remove(key, out var old))
            return false;
        _heldBytes -= Size(old);
        Fire(key, CmapChange.Delete, old, null, output);
        return true;
    }

    public int DeletePrefix(string prefix, ServiceOutput? output)
    {
        var keys = _values.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && !IsReadOnly(k)).ToList();
        foreach (var k in keys)
            Delete(k, output);
        return keys.Count;
    }

    public long Track(ClientId client, string key, bool prefix)
    {
        var id = _nextTrack++;
        _trackers[id] = new Tracker(id, client, key, prefix);
        return id;
    }

    public bool Untrack(long trackId) => _trackers.Remove(trackId);

    public void ClientGone(ClientId client)
    {
        foreach (var id in _trackers.Values.Where(t => t.Client == client).Select(t => t.Id).ToList())
            _trackers.Remove(id);
    }

    private void Fire(string key, CmapChange change, CmapValue? old, CmapValue? value, ServiceOutput? output)
    {
        if (output is null)
            return;
        foreach (var t in _trackers.Values)
        {
            if (t.Prefix ? key.StartsWith(t.Key, StringComparison.Ordinal) : key == t.Key)
                output.Notify(t.Client, new CmapTrackEvent(t.Id, key, change, old, value));
        }
    }
}
