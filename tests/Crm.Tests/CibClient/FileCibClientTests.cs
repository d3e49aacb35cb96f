using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;
using Cluster.TestSupport;

namespace Cluster.Crm.Tests.CibClient;

/// <summary>CIB_file: the factory picks the file client; changes reach the file; bad files cannot be connected to.</summary>
public sealed class FileCibClientTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cibfile").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Copy()
    {
        var path = Path.Combine(_dir, "cib.xml");
        var lines = File.ReadAllLines(Path.Combine(RepoPaths.Shared, "golden", "cibadmin-query.txt")).Where(l => !l.StartsWith('#') && !l.StartsWith('$'));
        File.WriteAllText(path, string.Join('\n', lines) + "\n");
        return path;
    }

    [Fact]
    public void CIB_file_selects_the_file_client_and_a_change_is_written_back()
    {
        var path = Copy();
        using var client = CibClients.Connect(n => n == "CIB_file" ? path : null, "test");
        Assert.IsType<FileCibClient>(client);
        string? seen = null;
        client.Changed += c => seen = c.Version;
        var r = client.Execute(new CibRequest(CibCommand.Modify, Data: CibXmlText.Parse("<primitive id=\"WebIP\" description=\"x\"/>")));
        Assert.True(r.Ok);
        Assert.Equal("0.17.0", seen);
        var onDisk = CibXmlText.Parse(File.ReadAllText(path));
        Assert.Equal("17", (string?)onDisk.Attribute("epoch"));
        Assert.Single(Directory.GetFiles(_dir)); // no temp file left behind
    }

    [Fact]
    public void A_refused_change_leaves_the_file_untouched()
    {
        var path = Copy();
        var before = File.ReadAllText(path);
        using var client = new FileCibClient(path);
        Assert.Equal(CibResultCode.ConfigInvalid, client.Execute(new CibRequest(CibCommand.Modify, Data: CibXmlText.Parse("<primitive id=\"WebIP\" class=\"bogus\"/>"))).Code);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void A_missing_file_or_garbage_cannot_be_connected_to_with_pacemakers_reason()
    {
        var missing = Assert.Throws<CibConnectionException>(() => new FileCibClient(Path.Combine(_dir, "none.xml")));
        Assert.Equal(CibResultCode.NotFound, missing.Code);
        Assert.Equal("No such device or address", missing.Reason);
        var junk = Path.Combine(_dir, "junk.xml");
        File.WriteAllText(junk, "junk");
        var bad = Assert.Throws<CibConnectionException>(() => new FileCibClient(junk));
        Assert.Equal(CibResultCode.ConfigInvalid, bad.Code);
    }

    [Fact]
    public void Without_CIB_file_and_no_manager_connect_fails_not_connected()
    {
        var e = Assert.Throws<CibConnectionException>(() => CibClients.Connect(n => n == "HA_ROOT" ? _dir : null, "test"));
        Assert.Equal(CibResultCode.NotConnected, e.Code);
        Assert.Equal("Transport endpoint is not connected", e.Reason);
    }
}
