using System.Diagnostics;
using System.Xml.Linq;
using Cluster.Crm.CibClient;
using Cluster.Tools.Crm.Monitor;
using Cluster.Tools.Tests.Support;

namespace Cluster.Tools.Tests.Crm;

/// <summary>
/// crm_mon's continuous view: a frame per CIB change (from the client's change notifications,
/// not a poll: the interval here is far longer than the test), the interval as an upper bound,
/// and the html page crm_mon --daemonize keeps.
/// </summary>
public sealed class LiveMonitorTests : IDisposable
{
    private readonly CibFixture _cib = new CibFixture().WithFinalCib();

    public void Dispose() => _cib.Dispose();

    [Fact]
    public async Task AChangeIsDrawnAtOnceAlthoughTheIntervalIsLong()
    {
        using var client = new FileCibClient(_cib.File);
        var frames = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var drawn = new SemaphoreSlim(0);
        var monitor = new LiveMonitor(client, (cib, _) => (string?)cib.Attribute("epoch") ?? "", text =>
        {
            frames.Enqueue(text);
            drawn.Release();
        });
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => monitor.Run(TimeSpan.FromMinutes(10), stop.Token));
        Assert.True(await drawn.WaitAsync(TimeSpan.FromSeconds(10)));

        var clock = Stopwatch.StartNew();
        var reply = client.Execute(new CibRequest(CibCommand.Modify, "crm_config", Data: new XElement("crm_config",
            new XElement("cluster_property_set", new XAttribute("id", "cib-bootstrap-options"),
                new XElement("nvpair", new XAttribute("id", "cib-bootstrap-options-maintenance-mode"), new XAttribute("name", "maintenance-mode"), new XAttribute("value", "true"))))));
        Assert.True(reply.Ok, reply.Error);
        Assert.True(await drawn.WaitAsync(TimeSpan.FromSeconds(10)));
        clock.Stop();
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var list = frames.ToList();
        Assert.True(list.Count >= 2);
        Assert.NotEqual(list[0], list[1]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the change took {clock.Elapsed} to be drawn");
    }

    [Fact]
    public async Task WithoutChangesTheIntervalBoundsTheTimeBetweenFrames()
    {
        using var client = new FileCibClient(_cib.File);
        var times = new List<long>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var monitor = new LiveMonitor(client, (_, now) => now.ToString("O"), _ =>
        {
            times.Add(clock.ElapsedMilliseconds);
            if (times.Count == 5) stop.Cancel();
        });

        await Task.Run(() => monitor.Run(TimeSpan.FromMilliseconds(200), stop.Token)).WaitAsync(TimeSpan.FromSeconds(30));

        // Each wait ends at the interval (not sooner: nothing changed; not much later: it is the bound).
        var gaps = times.Zip(times.Skip(1), (a, b) => b - a).ToList();
        Assert.True(gaps.All(g => g is >= 190 and <= 2000), string.Join(",", gaps));
    }

    [Fact]
    public async Task HtmlOutputHasPacemakersHeadAndSections()
    {
        var (exit, output, _) = await _cib.Tool("crm_mon -1 --output-as=html");

        Assert.Equal(0, exit);
        Assert.StartsWith("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>Cluster Status</title>\n<meta charset=\"utf-8\">\n<style>.bold { font-weight: bold }\n", output, StringComparison.Ordinal);
        Assert.Contains("<h2>Cluster Summary</h2>\n<ul>\n<li>\n<span class=\"bold\">Stack: </span><span>corosync</span>\n</li>\n", output, StringComparison.Ordinal);
        Assert.Contains("<h2>Active Resources</h2>\n<ul>\n<li><span class=\"rsc-ok\">WebIP\t(ocf:heartbeat:IPaddr2):\t Started node1</span></li>\n", output, StringComparison.Ordinal);
        Assert.EndsWith("</ul>\n</body>\n</html>\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputToWritesTheFileInsteadOfStdout()
    {
        var page = Path.Combine(_cib.Dir, "status.html");

        var (exit, output, _) = await _cib.Tool($"crm_mon -1 --output-as=html --output-to={page}");

        Assert.Equal(0, exit);
        Assert.Equal("", output);
        Assert.Contains("<h2>Node List</h2>", File.ReadAllText(page), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("crm_mon --daemonize --output-as=html", "crm_mon: --daemonize requires at least one of --output-to and --external-agent\n")]
    [InlineData("crm_mon -i abc", "crm_mon: Invalid value for -i: abc\n")]
    public async Task BadLiveOptionsAreRefused(string command, string expected)
    {
        var (exit, _, error) = await _cib.Tool(command);

        Assert.Equal(64, exit);
        Assert.Equal(expected, error);
    }
}
