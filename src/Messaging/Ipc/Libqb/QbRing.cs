using System.Runtime.InteropServices;
using System.Text;

namespace Cluster.Messaging.Ipc.Libqb;

/// <summary>
/// One libqb ring buffer over memory shared with a client: a header (write/read pointers in
/// 32-bit words, the word count, both file paths, a reference count, a glibc process-shared
/// semaphore counting unread chunks, a flow-control word) and a data area of chunks
/// {length, magic, payload padded to words}. The creator (us) initializes the header; the client
/// only opens it. Only complete, committed chunks are read; a bad length or magic is reported as
/// corruption so the caller drops the client instead of trusting the bytes.
/// </summary>
public sealed unsafe class QbRing
{
    public const int HeaderSize = 8248;

    /// <summary>The server creates every header file with 4 bytes of user data after the struct.</summary>
    public const int HeaderFileSize = HeaderSize + 4;

    private const int WordSizeOffset = 8;
    private const int HeaderPathOffset = 12;
    private const int DataPathOffset = 4108;
    private const int PathMax = 4096;
    private const int RefCountOffset = 8204;
    private const int SemaphoreOffset = 8208;
    private const int UserDataOffset = 8240;

    private const uint MagicCommitted = 0xA1A1A1A1;
    private const uint MagicAllocated = 0xA110CED0;
    private const uint MagicReclaimed = 0xD0D0D0D0;

    private readonly byte* _header;
    private readonly uint* _data;
    private readonly uint _words;

    /// <summary>Wraps mapped memory: <paramref name="header"/> at least <see cref="HeaderFileSize"/> bytes, <paramref name="data"/> <paramref name="dataBytes"/>.</summary>
    public QbRing(byte* header, byte* data, int dataBytes)
    {
        if (dataBytes <= 0 || dataBytes % 4 != 0)
            throw new ArgumentOutOfRangeException(nameof(dataBytes), dataBytes, "ring data must be a positive multiple of 4 bytes");
        _header = header;
        _data = (uint*)data;
        _words = (uint)(dataBytes / 4);
    }

    /// <summary>The data file size libqb computes from the granted message size: room for one message and its chunk header, whole pages.</summary>
    public static int DataSize(uint maxMessageSize, int pageSize = 4096) =>
        checked((int)(((maxMessageSize + 13 + (uint)pageSize - 1) / (uint)pageSize) * (uint)pageSize));

    private ref uint WritePt => ref *(uint*)_header;

    private ref uint ReadPt => ref *(uint*)(_header + 4);

    private nint Semaphore => (nint)(_header + SemaphoreOffset);

    public int RefCount
    {
        get => Volatile.Read(ref *(int*)(_header + RefCountOffset));
        set => Volatile.Write(ref *(int*)(_header + RefCountOffset), value);
    }

    /// <summary>The request ring's flow-control word: 0 open, 1 block all sends, 2 block mcast-like sends.</summary>
    public int FlowControl
    {
        get => Volatile.Read(ref *(int*)(_header + UserDataOffset));
        set => Volatile.Write(ref *(int*)(_header + UserDataOffset), value);
    }

    /// <summary>The creator's setup: empty ring, paths, reference count 1, semaphore at 0.</summary>
    public void Initialize(string headerPath, string dataPath)
    {
        new Span<byte>(_header, HeaderFileSize).Clear();
        *(uint*)(_header + WordSizeOffset) = _words;
        WritePath(HeaderPathOffset, headerPath);
        WritePath(DataPathOffset, dataPath);
        RefCount = 1;
        if (QbNative.SemInit(Semaphore, 1, 0) != 0)
            throw new IOException($"sem_init failed: errno {Marshal.GetLastPInvokeError()}");
    }

    public void Destroy() => QbNative.SemDestroy(Semaphore);

    /// <summary>Unread chunks, as the semaphore counts them.</summary>
    public int Pending => QbNative.SemGetValue(Semaphore, out var v) == 0 ? v : 0;

    /// <summary>Free bytes, by libqb's rule (equal pointers mean empty unless chunks are pending).</summary>
    public long FreeBytes
    {
        get
        {
            uint w = Volatile.Read(ref WritePt), r = Volatile.Read(ref ReadPt);
            long words = w > r ? r - (long)w + _words - 1 : w < r ? (long)r - w - 1 : Pending > 0 ? 0 : _words;
            return words * 4;
        }
    }

    /// <summary>Appends one chunk and posts the semaphore; false when it does not fit (the ring is full).</summary>
    public bool TryWrite(ReadOnlySpan<byte> payload)
    {
        if (FreeBytes < payload.Length + 12)
            return false;
        uint p = Volatile.Read(ref WritePt);
        if (p >= _words)
            throw new InvalidDataException($"ring write pointer {p} is outside its {_words} words");
        _data[p] = 0;
        _data[Wrap(p + 1)] = MagicAllocated;
        CopyIn(Wrap(p + 2), payload);
        _data[p] = (uint)payload.Length;
        Volatile.Write(ref WritePt, Step(p, (uint)payload.Length));
        Volatile.Write(ref _data[Wrap(p + 1)], MagicCommitted);
        if (QbNative.SemPost(Semaphore) != 0)
            throw new IOException($"sem_post failed: errno {Marshal.GetLastPInvokeError()}");
        return true;
    }

    /// <summary>
    /// Takes the next committed chunk: null when none is pending. Throws
    /// <see cref="InvalidDataException"/> when the chunk is not a valid committed chunk of at most
    /// <paramref name="maxLength"/> bytes (a broken or hostile client).
    /// </summary>
    public byte[]? TryRead(int maxLength)
    {
        if (QbNative.SemTryWait(Semaphore) != 0)
            return null;
        uint p = Volatile.Read(ref ReadPt);
        if (p >= _words)
            throw new InvalidDataException($"ring read pointer {p} is outside its {_words} words");
        uint magic = Volatile.Read(ref _data[Wrap(p + 1)]);
        if (magic != MagicCommitted)
            throw new InvalidDataException($"ring chunk at word {p} has magic 0x{magic:X8}, not a committed chunk");
        uint length = _data[p];
        if (length > (uint)maxLength || length > (_words - 3) * 4L)
            throw new InvalidDataException($"ring chunk at word {p} claims {length} bytes, more than the {maxLength} allowed");
        var payload = new byte[length];
        CopyOut(Wrap(p + 2), payload);
        _data[p] = 0;
        Volatile.Write(ref _data[Wrap(p + 1)], MagicReclaimed);
        Volatile.Write(ref ReadPt, Step(p, length));
        return payload;
    }

    private uint Wrap(uint word) => word >= _words ? word - _words : word;

    private uint Step(uint p, uint length)
    {
        ulong next = p + 2UL + ((length + 3UL) / 4);
        return (uint)(next % _words);
    }

    private void CopyIn(uint word, ReadOnlySpan<byte> payload)
    {
        var bytes = new Span<byte>(_data, (int)(_words * 4));
        int at = (int)(word * 4);
        int first = Math.Min(payload.Length, bytes.Length - at);
        payload[..first].CopyTo(bytes[at..]);
        payload[first..].CopyTo(bytes);
    }

    private void CopyOut(uint word, Span<byte> payload)
    {
        var bytes = new ReadOnlySpan<byte>(_data, (int)(_words * 4));
        int at = (int)(word * 4);
        int first = Math.Min(payload.Length, bytes.Length - at);
        bytes.Slice(at, first).CopyTo(payload);
        bytes[..(payload.Length - first)].CopyTo(payload[first..]);
    }

    private void WritePath(int offset, string path)
    {
        var field = new Span<byte>(_header + offset, PathMax);
        int n = Encoding.UTF8.GetBytes(path, field[..^1]);
        field[n] = 0;
    }
}
