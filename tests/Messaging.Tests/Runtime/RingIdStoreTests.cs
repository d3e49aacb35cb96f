using System.Runtime.InteropServices;
using Cluster.Messaging.Runtime;
using Cluster.Messaging.Totem;

namespace Cluster.Messaging.Tests.Runtime;

public sealed class RingIdStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ringid-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_missing_file_means_sequence_zero() =>
        Assert.Equal(0UL, new RingIdStore(Path.Combine(_dir, "var/lib/corosync"), new NodeId(3)).Load());

    [Fact]
    public void Save_writes_eight_native_endian_bytes_to_ringid_nodeid_with_mode_0600()
    {
        var store = new RingIdStore(Path.Combine(_dir, "var/lib/corosync"), new NodeId(3));
        store.Save(0x1122334455667788);
        Assert.Equal(Path.Combine(_dir, "var/lib/corosync", "ringid_3"), store.FilePath);
        var bytes = File.ReadAllBytes(store.FilePath);
        Assert.Equal(8, bytes.Length);
        Assert.Equal(0x1122334455667788UL, MemoryMarshal.Read<ulong>(bytes));
        if (!OperatingSystem.IsWindows())
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
        Assert.Equal(0x1122334455667788UL, store.Load());
        Assert.False(File.Exists(store.FilePath + ".tmp"));
    }

    [Fact]
    public void A_file_of_the_wrong_size_is_an_error_naming_the_file()
    {
        var store = new RingIdStore(_dir, new NodeId(1));
        File.WriteAllBytes(store.FilePath, [1, 2, 3]);
        var error = Assert.Throws<InvalidDataException>(() => store.Load());
        Assert.Equal($"{store.FilePath}: ring id file holds 3 bytes, expected 8", error.Message);
    }
}
