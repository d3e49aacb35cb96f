using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;
using Cluster.Crm.CibManager;

namespace Cluster.Crm.Tests.CibManager;

public sealed class CibStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cibstore").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static XElement Cib(long epoch)
    {
        var cib = CibOperations.Empty(epoch);
        cib.Element("status")!.Add(new XElement("node_state", new XAttribute("id", "1")));
        return cib;
    }

    [Fact]
    public void A_written_cib_loads_back_without_status_with_a_matching_signature()
    {
        var store = new CibStore(_dir);
        store.Write(Cib(5));
        var log = new List<CibStoreMessage>();
        var loaded = store.Load(log);
        Assert.Equal(new CibVersion(0, 5, 0), CibOperations.VersionOf(loaded));
        Assert.Empty(loaded.Element("status")!.Elements());
        Assert.Equal(CibFileDigest.Compute(CibXmlText.Parse(File.ReadAllText(store.CibFile))), File.ReadAllText(store.SigFile));
        Assert.DoesNotContain(log, m => m.Level is "error" or "warning");
    }

    [Fact]
    public void Every_write_keeps_the_previous_file_as_a_numbered_backup()
    {
        var store = new CibStore(_dir);
        store.Write(Cib(1));
        store.Write(Cib(2));
        store.Write(Cib(3));
        Assert.Equal("1", File.ReadAllText(Path.Combine(_dir, "cib.last")));
        Assert.Contains("epoch=\"1\"", File.ReadAllText(Path.Combine(_dir, "cib-0.raw")), StringComparison.Ordinal);
        Assert.Contains("epoch=\"2\"", File.ReadAllText(Path.Combine(_dir, "cib-1.raw")), StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_dir, "*.tmp"));
    }

    [Fact]
    public void A_hand_edited_cib_is_refused_archived_and_the_last_valid_backup_used()
    {
        var store = new CibStore(_dir);
        store.Write(Cib(1));
        store.Write(Cib(2));
        File.WriteAllText(store.CibFile, File.ReadAllText(store.CibFile).Replace("epoch=\"2\"", "epoch=\"99\"", StringComparison.Ordinal));
        var log = new List<CibStoreMessage>();
        var loaded = store.Load(log);
        Assert.Equal(1, CibOperations.VersionOf(loaded).Epoch);
        Assert.Contains(log, m => m.Text.StartsWith("Digest comparison failed", StringComparison.Ordinal));
        Assert.Contains(log, m => m.Text == $"Continuing but {store.CibFile} will NOT be used.");
        Assert.False(File.Exists(store.CibFile));
        Assert.NotEmpty(Directory.GetFiles(_dir, "cib.auto.*"));
    }

    [Fact]
    public void An_unparseable_cib_without_backups_gives_an_empty_cib_that_any_peer_beats()
    {
        var store = new CibStore(_dir);
        File.WriteAllText(store.CibFile, "<cib epoch=");
        var log = new List<CibStoreMessage>();
        var loaded = store.Load(log);
        Assert.Equal(new CibVersion(0, 0, 0), CibOperations.VersionOf(loaded));
        Assert.Contains(log, m => m.Text == "Continuing with an empty configuration.");
    }
}
