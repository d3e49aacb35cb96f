using System.Buffers;
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
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, parameters);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The digested text as a string (for diagnostics and tests).</summary>
    public static string ToText(IEnumerable<KeyValuePair<string, string>> parameters) =>
        Encoding.UTF8.GetString(Serialize(parameters));

    /// <summary>Lowercase hex MD5 of the serialised parameters.</summary>
    public static string Digest(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        Write(buffer, parameters);
        Span<byte> hash = stackalloc byte[16];
        // MD5 is what Pacemaker records; it is an identity checksum here, not a security control.
#pragma warning disable CA5351
        MD5.HashData(buffer.WrittenSpan, hash);
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var sorted = parameters.ToArray();
        Array.Sort(sorted, static (a, b) => CompareAsStrcmp(a.Key, b.Key));
        Append(buffer, " <parameters"u8);
        foreach (var (name, value) in sorted)
        {
            Append(buffer, " "u8);
            Append(buffer, Encoding.UTF8.GetBytes(name));
            Append(buffer, "=\""u8);
            AppendEscaped(buffer, Encoding.UTF8.GetBytes(value));
            Append(buffer, "\""u8);
        }
        Append(buffer, "/>\n"u8);
    }

    // strcmp order = order of the UTF-8 bytes. Ordinal UTF-16 order agrees with it except
    // around surrogates, so only non-ASCII names pay for encoding.
    private static int CompareAsStrcmp(string a, string b) =>
        Ascii.IsValid(a) && Ascii.IsValid(b)
            ? string.CompareOrdinal(a, b)
            : Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));

    private static void Append(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> bytes) => buffer.Write(bytes);

    private static void Append(ArrayBufferWriter<byte> buffer, byte b)
    {
        buffer.GetSpan(1)[0] = b;
        buffer.Advance(1);
    }

    // Pacemaker's own attribute escaping (not libxml's). Quirk kept on purpose: at the first
    // byte >= 0x80 followed by another byte >= 0x80 escaping stops for the rest of the value.
    private static void AppendEscaped(ArrayBufferWriter<byte> buffer, byte[] value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var b = value[i];
            if (b >= 0x80 && i + 1 < value.Length && value[i + 1] >= 0x80)
            {
                Append(buffer, value.AsSpan(i));
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
                        Append(buffer, (byte)'\\');
                        Append(buffer, (byte)('0' + ((b >> 6) & 7)));
                        Append(buffer, (byte)('0' + ((b >> 3) & 7)));
                        Append(buffer, (byte)('0' + (b & 7)));
                    }
                    else
                    {
                        Append(buffer, b);
                    }
                    break;
            }
        }
    }
}
