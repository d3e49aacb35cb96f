using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Cluster.Crm.Cib;

/// <summary>
/// Reads the text of a CIB from a file or a stream with a size cap, stopping at the first byte
/// that cannot be part of an XML document: <c>-x /dev/zero</c> or <c>-x /dev/urandom</c> ends at
/// once with an error naming the offset instead of growing until the process runs out of memory.
/// </summary>
public static class CappedCibInput
{
    private const int ChunkBytes = 64 * 1024;

    /// <summary>The bytes of <paramref name="path"/>; a <see cref="CibParseException"/> names what is wrong.</summary>
    public static byte[] ReadFile(string path, long maxBytes = CibLimits.MaxFileBytes)
    {
        if (Directory.Exists(path))
            throw new CibParseException($"cannot read {path}: Is a directory");
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            return ReadStream(stream, path, maxBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CibParseException($"cannot read {path}: {e.Message}", e);
        }
    }

    /// <summary>Reads <paramref name="stream"/> to its end, checking each chunk as it arrives.</summary>
    public static byte[] ReadStream(Stream stream, string name, long maxBytes = CibLimits.MaxFileBytes)
    {
        // A regular file says how long it is: read it into one array of that size (a growing
        // buffer copies a 185 MiB CIB several times over).
        if (stream.CanSeek && stream.Length - stream.Position is var known and > 0 and <= int.MaxValue)
        {
            var start = stream.Position;
            if (known > maxBytes)
                throw new CibParseException($"{name}: larger than the {maxBytes / (1024 * 1024)} MiB a CIB may have");
            // Every byte is overwritten by the read (or cut off below): no need to zero 185 MiB first.
            var whole = GC.AllocateUninitializedArray<byte>((int)known);
            var checker = new ByteChecker();
            int filled = 0, read;
            while (filled < whole.Length && (read = stream.Read(whole, filled, Math.Min(ChunkBytes * 16, whole.Length - filled))) > 0)
            {
                if (checker.FirstBad(whole.AsSpan(filled, read)) is { } bad)
                    throw new CibParseException($"{name}: not an XML document: byte {filled + bad} is 0x{whole[filled + bad]:x2}");
                filled += read;
            }
            // The file shrank while being read: keep what was there.
            if (filled < whole.Length) Array.Resize(ref whole, filled);
            // A file that grew while being read is read again, to its end, the slow way.
            if (stream.ReadByte() >= 0)
            {
                stream.Position = start;
                return ReadRest(stream, name, maxBytes);
            }
            return whole;
        }
        return ReadRest(stream, name, maxBytes);
    }

    private static byte[] ReadRest(Stream stream, string name, long maxBytes)
    {
        var buffer = new MemoryStream();
        var checker = new ByteChecker();
        var chunk = new byte[ChunkBytes];
        int n;
        while ((n = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (checker.FirstBad(chunk.AsSpan(0, n)) is { } bad)
                throw new CibParseException($"{name}: not an XML document: byte {buffer.Length + bad} is 0x{chunk[bad]:x2}");
            if (buffer.Length + n > maxBytes)
                throw new CibParseException($"{name}: larger than the {maxBytes / (1024 * 1024)} MiB a CIB may have");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    /// <summary>Throws when <paramref name="bytes"/> holds a byte that cannot be in an XML document, naming its offset.</summary>
    public static void Check(ReadOnlySpan<byte> bytes, string name)
    {
        if (new ByteChecker().FirstBad(bytes) is { } bad)
            throw new CibParseException($"{name}: not an XML document: byte {bad} is 0x{bytes[bad]:x2}");
    }

    /// <summary>The text of <paramref name="reader"/> (standard input), with the same cap and checks.</summary>
    public static string ReadText(TextReader reader, string name = "standard input", long maxChars = CibLimits.MaxFileBytes)
    {
        var text = new System.Text.StringBuilder();
        var chunk = new char[ChunkBytes];
        var sawStart = false;
        int n;
        while ((n = reader.Read(chunk, 0, chunk.Length)) > 0)
        {
            for (var i = 0; i < n; i++)
            {
                var c = chunk[i];
                var bad = c < 0x20 ? c is not ('\t' or '\n' or '\r') : c is '\uFFFE' or '\uFFFF';
                if (!sawStart && !bad && c is not (' ' or '\t' or '\n' or '\r' or '\uFEFF'))
                {
                    bad = c != '<';
                    sawStart = true;
                }
                if (bad)
                    throw new CibParseException($"{name}: not an XML document: character {text.Length + i} is U+{(int)c:X4}");
            }
            if (text.Length + n > maxChars)
                throw new CibParseException($"{name}: larger than the {maxChars / (1024 * 1024)} MiB a CIB may have");
            text.Append(chunk, 0, n);
        }
        return text.ToString();
    }

    private static readonly SearchValues<byte> BadBytes = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Where(b => b is not ('\t' or '\n' or '\r')).Select(b => (byte)b), 0xC0, 0xC1,
         .. Enumerable.Range(0xF5, 0x100 - 0xF5).Select(b => (byte)b)]);

    /// <summary>
    /// The first of <see cref="BadBytes"/> in <paramref name="span"/>, or -1. Three range tests
    /// per 32 bytes: SearchValues over a set that mixes ASCII and high bytes takes a slower
    /// path, a sixth of the time it takes to read a 185 MiB CIB.
    /// </summary>
    public static int IndexOfBad(ReadOnlySpan<byte> span)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && span.Length >= Vector256<byte>.Count)
        {
            ref var start = ref MemoryMarshal.GetReference(span);
            var space = Vector256.Create((byte)0x20);
            var tab = Vector256.Create((byte)'\t');
            var lf = Vector256.Create((byte)'\n');
            var cr = Vector256.Create((byte)'\r');
            var overlong = Vector256.Create((byte)0xC0);
            var evenMask = Vector256.Create((byte)0xFE);
            var tooHigh = Vector256.Create((byte)0xF4);
            for (; i <= span.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var v = Vector256.LoadUnsafe(ref start, (nuint)i);
                var control = Vector256.LessThan(v, space)
                    & ~(Vector256.Equals(v, tab) | Vector256.Equals(v, lf) | Vector256.Equals(v, cr));
                var bad = control | Vector256.GreaterThan(v, tooHigh) | Vector256.Equals(v & evenMask, overlong);
                if (bad != Vector256<byte>.Zero)
                    return i + BitOperations.TrailingZeroCount(bad.ExtractMostSignificantBits());
            }
        }
        var rest = span[i..].IndexOfAny(BadBytes);
        return rest < 0 ? -1 : i + rest;
    }

    /// <summary>
    /// Bytes that cannot occur in a UTF-8 XML document: C0 controls other than tab, LF and CR,
    /// 0xC0, 0xC1 and 0xF5..0xFF; and before the first '&lt;' only a BOM and whitespace. A UTF-16
    /// document (byte order mark FF FE / FE FF) is left to the XML reader.
    /// </summary>
    private sealed class ByteChecker
    {
        private long _seen;
        private bool _started, _utf16;

        public int? FirstBad(ReadOnlySpan<byte> chunk)
        {
            var offset = _seen;
            _seen += chunk.Length;
            if (offset == 0 && chunk.Length >= 2 && ((chunk[0] == 0xFF && chunk[1] == 0xFE) || (chunk[0] == 0xFE && chunk[1] == 0xFF)))
                _utf16 = true;
            if (_utf16) return null;
            for (var i = 0; i < chunk.Length; i++)
            {
                if (_started)
                {
                    // Past the start only the bad bytes matter: a vectorised search.
                    var at = IndexOfBad(chunk[i..]);
                    return at < 0 ? null : i + at;
                }
                var b = chunk[i];
                if (b < 0x20 ? b is not ((byte)'\t' or (byte)'\n' or (byte)'\r') : b is 0xC0 or 0xC1 or >= 0xF5)
                    return i;
                // A UTF-8 byte order mark, then whitespace, then the '<' of a declaration or element.
                if (offset + i < 3 && b is 0xEF or 0xBB or 0xBF) continue;
                if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') continue;
                if (b != '<') return i;
                _started = true;
            }
            return null;
        }
    }
}
