using System.Buffers.Binary;
using System.Text;

namespace Cluster.Tools.Fuzz;

/// <summary>
/// Byte-level mutations of a corpus entry, stacked one to four at a time: bit flips, interesting
/// bytes and integers, deleted, repeated (up to thousands of times, for nesting and size blowups)
/// and inserted ranges, splices from another entry, numbers in text replaced by edge values.
/// </summary>
public static class Mutator
{
    private static readonly byte[] InterestingBytes = [0, 1, 0x7F, 0x80, 0xFF, (byte)'<', (byte)'>', (byte)'"', (byte)'{', (byte)'}',
        (byte)':', (byte)'\n', (byte)'/', (byte)'&', (byte)'=', (byte)'#', (byte)' ', (byte)'-', (byte)'.'];

    private static readonly ulong[] InterestingIntegers = [0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFF_FFFF, 0x8000_0000,
        0xFFFF_FFFF, 0xFFFF_FFFE, 0x1_0000_0000, 0x7FFF_FFFF_FFFF_FFFF, 0x8000_0000_0000_0000, ulong.MaxValue, ulong.MaxValue - 1];

    private static readonly string[] InterestingNumbers = ["0", "-1", "1", "-0", "4294967295", "4294967296", "-2147483649",
        "99999999999", "-99999999999", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999999999", "1e308", "NaN", "INFINITY", "-INFINITY", "+INFINITY", "0x10", "1.5", "", " ", "00000000001"];

    public static byte[] Mutate(Random random, byte[] input, IReadOnlyList<byte[]> corpus)
    {
        var data = new List<byte>(input);
        var rounds = 1 + random.Next(4);
        for (var i = 0; i < rounds; i++)
            MutateOnce(random, data, corpus);
        if (data.Count > FuzzTarget.MaxInputBytes)
            data.RemoveRange(FuzzTarget.MaxInputBytes, data.Count - FuzzTarget.MaxInputBytes);
        return [.. data];
    }

    /// <summary>Random bytes, or random printable text (a tenth of the inputs are not mutations at all).</summary>
    public static byte[] Random(Random random, bool text)
    {
        var bytes = new byte[random.Next(0, random.Next(2) == 0 ? 64 : 4096)];
        random.NextBytes(bytes);
        if (text)
            for (var i = 0; i < bytes.Length; i++)
                bytes[i] = (byte)(0x20 + bytes[i] % 0x5F);
        return bytes;
    }

    private static void MutateOnce(Random random, List<byte> data, IReadOnlyList<byte[]> corpus)
    {
        int Pos(int extra = 0) => random.Next(data.Count + extra);
        int Len() => 1 + random.Next(random.Next(2) == 0 ? 8 : 256);
        switch (random.Next(11))
        {
            case 0 when data.Count > 0:
                data[Pos()] ^= (byte)(1 << random.Next(8));
                break;
            case 1 when data.Count > 0:
                data[Pos()] = InterestingBytes[random.Next(InterestingBytes.Length)];
                break;
            case 2 when data.Count > 0:
            {
                var at = Pos();
                data.RemoveRange(at, Math.Min(Len(), data.Count - at));
                break;
            }
            case 3 when data.Count > 0:
            {
                // Repeat a range: with many copies this is how deep nesting and huge inputs appear.
                var at = Pos();
                var range = data.GetRange(at, Math.Min(Len(), data.Count - at));
                var copies = random.Next(4) == 0 ? 1 + random.Next(5000) : 1 + random.Next(4);
                var insertAt = Pos(1);
                var repeated = new List<byte>(range.Count * copies);
                for (var c = 0; c < copies && repeated.Count + data.Count < FuzzTarget.MaxInputBytes; c++)
                    repeated.AddRange(range);
                data.InsertRange(insertAt, repeated);
                break;
            }
            case 4:
            {
                var bytes = new byte[Len()];
                random.NextBytes(bytes);
                data.InsertRange(Pos(1), bytes);
                break;
            }
            case 5 when corpus.Count > 0:
            {
                var other = corpus[random.Next(corpus.Count)];
                if (other.Length == 0) break;
                var from = random.Next(other.Length);
                var length = Math.Min(Len() * 4, other.Length - from);
                data.InsertRange(Pos(1), other.AsSpan(from, length).ToArray());
                break;
            }
            case 6 when data.Count >= 8:
            {
                var value = InterestingIntegers[random.Next(InterestingIntegers.Length)];
                var width = 1 << random.Next(4);
                var at = random.Next(data.Count - width + 1);
                Span<byte> le = stackalloc byte[8];
                BinaryPrimitives.WriteUInt64LittleEndian(le, value);
                for (var k = 0; k < width; k++) data[at + k] = le[k];
                break;
            }
            case 7 when data.Count > 0:
            {
                var at = Pos();
                data.RemoveRange(at, data.Count - at);
                break;
            }
            case 8 or 9 when data.Count > 0:
                ReplaceNumber(random, data);
                break;
            default:
                if (data.Count > 0) data[Pos()] = (byte)random.Next(256);
                break;
        }
    }

    /// <summary>Replaces the run of digits nearest a random position by an edge-case number.</summary>
    private static void ReplaceNumber(Random random, List<byte> data)
    {
        var start = random.Next(data.Count);
        while (start < data.Count && !char.IsAsciiDigit((char)data[start])) start++;
        if (start == data.Count) return;
        var end = start;
        while (end < data.Count && char.IsAsciiDigit((char)data[end])) end++;
        data.RemoveRange(start, end - start);
        data.InsertRange(start, Encoding.ASCII.GetBytes(InterestingNumbers[random.Next(InterestingNumbers.Length)]));
    }
}
