using System.Runtime.InteropServices;
using Cluster.Messaging.Ipc.Libqb;

namespace Cluster.Messaging.Tests.Ipc.Libqb;

/// <summary>The ring buffer over plain native memory (the same code runs over the /dev/shm mappings).</summary>
public sealed unsafe class QbRingTests : IDisposable
{
    private readonly byte* _header;
    private readonly byte* _data;
    private const int DataBytes = 256;

    public QbRingTests()
    {
        _header = (byte*)NativeMemory.AllocZeroed(QbRing.HeaderFileSize);
        _data = (byte*)NativeMemory.AllocZeroed(DataBytes);
    }

    public void Dispose()
    {
        NativeMemory.Free(_header);
        NativeMemory.Free(_data);
    }

    private QbRing NewRing()
    {
        var ring = new QbRing(_header, _data, DataBytes);
        ring.Initialize("/dev/shm/x-header", "/dev/shm/x-data");
        return ring;
    }

    [Fact]
    public void The_data_size_is_libqbs_for_a_1_MiB_client()
    {
        Assert.Equal(1052672, QbRing.DataSize(1048576));
    }

    [Fact]
    public void Initialize_writes_word_count_paths_reference_count_and_an_empty_semaphore()
    {
        var ring = NewRing();
        Assert.Equal((uint)(DataBytes / 4), *(uint*)(_header + 8));
        Assert.Equal((byte)'/', _header[12]);
        Assert.Equal((byte)'/', _header[4108]);
        Assert.Equal(1, ring.RefCount);
        Assert.Equal(0, ring.Pending);
        Assert.Equal(DataBytes, ring.FreeBytes);
        ring.Destroy();
    }

    [Fact]
    public void Chunks_come_out_in_order_and_intact_across_the_wrap()
    {
        var ring = NewRing();
        for (int round = 0; round < 40; round++)
        {
            var a = Enumerable.Range(0, 37 + round).Select(i => (byte)(i + round)).ToArray();
            var b = Enumerable.Range(0, 5).Select(i => (byte)(200 + i)).ToArray();
            Assert.True(ring.TryWrite(a));
            Assert.True(ring.TryWrite(b));
            Assert.Equal(2, ring.Pending);
            Assert.Equal(a, ring.TryRead(1024));
            Assert.Equal(b, ring.TryRead(1024));
            Assert.Null(ring.TryRead(1024));
        }
        ring.Destroy();
    }

    [Fact]
    public void A_full_ring_refuses_the_write_and_accepts_again_once_read()
    {
        var ring = NewRing();
        var chunk = new byte[100];
        Assert.True(ring.TryWrite(chunk));
        Assert.True(ring.TryWrite(chunk));
        Assert.False(ring.TryWrite(chunk)); // 2 x 108 bytes used of 256: no room for a third
        Assert.NotNull(ring.TryRead(1024));
        Assert.True(ring.TryWrite(chunk));
        ring.Destroy();
    }

    [Fact]
    public void A_chunk_without_the_committed_magic_or_longer_than_allowed_is_corruption()
    {
        var ring = NewRing();
        Assert.True(ring.TryWrite(new byte[8]));
        ((uint*)_data)[1] = 0x12345678;
        Assert.Throws<InvalidDataException>(() => ring.TryRead(1024));

        var second = NewRing();
        Assert.True(second.TryWrite(new byte[64]));
        Assert.Throws<InvalidDataException>(() => second.TryRead(16));
        second.Destroy();
    }
}
