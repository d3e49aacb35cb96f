using System.Text;

namespace Cluster.Crm.Cib;

/// <summary>
/// Turns UTF-8 attribute values into strings, one string per distinct value: a status section
/// repeats each resource's ids, keys and digests once per node, and a lookup that finds the
/// value costs no allocation. Open addressing over (hash, string); only ASCII values are pooled
/// (their length in bytes equals their length in chars, so bytes compare with chars directly).
/// </summary>
internal sealed class Utf8StringPool
{
    private string?[] _strings = new string?[4096];
    private int[] _hashes = new int[4096];
    private int _count;

    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length == 0) return "";
        if (!Ascii.IsValid(utf8)) return Encoding.UTF8.GetString(utf8);
        var h = Hash(utf8);
        var mask = _strings.Length - 1;
        for (var i = h & mask; ; i = (i + 1) & mask)
        {
            var s = _strings[i];
            if (s is null)
            {
                s = Encoding.ASCII.GetString(utf8);
                _strings[i] = s;
                _hashes[i] = h;
                if (++_count * 2 > _strings.Length) Grow();
                return s;
            }
            if (_hashes[i] == h && s.Length == utf8.Length && Ascii.Equals(utf8, s)) return s;
        }
    }

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode() & int.MaxValue;
    }

    private void Grow()
    {
        var strings = _strings;
        var hashes = _hashes;
        _strings = new string?[strings.Length * 2];
        _hashes = new int[strings.Length * 2];
        var mask = _strings.Length - 1;
        for (var j = 0; j < strings.Length; j++)
        {
            if (strings[j] is not { } s) continue;
            var i = hashes[j] & mask;
            while (_strings[i] is not null) i = (i + 1) & mask;
            _strings[i] = s;
            _hashes[i] = hashes[j];
        }
    }
}
