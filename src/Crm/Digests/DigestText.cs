using System.Security.Cryptography;
using System.Text;

namespace Cluster.Crm.Digests;

/// <summary>
/// The exact bytes Pacemaker 2.1.5 hashes for an operation digest and the hash itself:
/// <c>" &lt;parameters"</c> + <c> name="escaped"</c> per parameter in byte order of the name
/// + <c>"/&gt;\n"</c>, MD5 as 32 lowercase hex digits.
/// </summary>
public static class DigestText
{
    /// <summary>MD5 of the parameter-less text <c>" &lt;parameters/&gt;\n"</c>.</summary>
    public const string EmptyDigest = "f2317cad3d54cec5d7d7aa7d0bf35cf8";

    /// <summary>Serialises <paramref name="parameters"/> (names must be unique) as Pacemaker does.</summary>
    public static byte[] Serialize(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var sorted = parameters.ToArray();
        // strcmp order = ordinal order of the UTF-8 bytes; for names this equals ordinal UTF-16
        // order except for surrogates, so compare the encoded bytes to be exact.
        Array.Sort(sorted, static (a, b) => CompareUtf8(a.Key, b.Key));
        var buffer = new List<byte>(64 + sorted.Length * 32);
        Append(buffer, " <parameters"u8);
        foreach (var (name, value) in sorted)
        {
            buffer.Add((byte)' ');
            buffer.AddRange(Encoding.UTF8.GetBytes(name));
            Append(buffer, "=\""u8);
            AppendEscaped(buffer, Encoding.UTF8.GetBytes(value));
            buffer.Add((byte)'"');
        }
        Append(buffer, "/>\n"u8);
        return [.. buffer];
    }

    /// <summary>The digested text as a string (for diagnostics and tests).</summary>
    public static string ToText(IEnumerable<KeyValuePair<string, string>> parameters) =>
        Encoding.UTF8.GetString(Serialize(parameters));

    /// <summary>Lowercase hex MD5 of the serialised parameters.</summary>
    public static string Digest(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        // MD5 is what Pacemaker records; it is an identity checksum here, not a security control.
#pragma warning disable CA5351
        var hash = MD5.HashData(Serialize(parameters));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }

    private static int CompareUtf8(string a, string b) =>
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));

    private static void Append(List<byte> buffer, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes) buffer.Add(b);
    }

    // Pacemaker's own attribute escaping (not libxml's). Quirk kept on purpose: at the first
    // byte >= 0x80 followed by another byte >= 0x80 escaping stops for the rest of the value.
    private static void AppendEscaped(List<byte> buffer, byte[] value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if (b >= 0x80 && i + 1 < value.Length && value[i + 1] >= 0x80)
            {
                for (var j = i; j < value.Length; j++) buffer.Add(value[j]);
                return;
            }
            switch (b)
            {
                case (byte)'<': Append(buffer, "&lt;"u8); break;
                case (byte)'>': Append(buffer, "&gt;"u8); break;
                case (byte)'"': Append(buffer, "&quot;"u8); break;
                case (byte)'\'': Append(buffer, "&apos;"u8); break;
                case (byte)'&': Append(buffer, "&amp;"u8); break;
                case (byte)'\t': Append(buffer, "    "u8); break;
                case (byte)'\n': Append(buffer, "\\n"u8); break;
                case (byte)'\r': Append(buffer, "\\r"u8); break;
                default:
                    if (b < 0x20 || b == 0x7F)
                    {
                        buffer.Add((byte)'\\');
                        buffer.Add((byte)('0' + ((b >> 6) & 7)));
                        buffer.Add((byte)('0' + ((b >> 3) & 7)));
                        buffer.Add((byte)('0' + (b & 7)));
                    }
                    else
                    {
                        buffer.Add(b);
                    }
                    break;
            }
        }
    }
}
