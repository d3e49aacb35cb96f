using System.Xml.Linq;
using Cluster.Crm.CibClient;
using Cluster.Tools.Crm.Access;

namespace Cluster.Tools.Crm.Monitor;

/// <summary>
/// crm_mon's continuous view: the status is drawn again as soon as the CIB manager says the
/// CIB changed (its change notifications on <see cref="ICibClient.Changed"/>), and at the latest
/// after the interval (-i), which is only an upper bound: times shown ("Last updated") and
/// time-based rules stay current on a quiet cluster. Changes that arrive together (a transition
/// writes several results in a burst) are drawn once.
/// </summary>
public sealed class LiveMonitor(ICibClient client, Func<XElement, DateTimeOffset, string> render, Action<string> show)
{
    /// <summary>Changes arriving within this time of the first are drawn together.</summary>
    public static TimeSpan Coalesce { get; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Frames drawn so far (for tests and the daemon's log).</summary>
    public int Frames { get; private set; }

    /// <summary>Draws until <paramref name="stop"/> is cancelled. A failed query is shown and retried at the next wake-up.</summary>
    public void Run(TimeSpan interval, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (interval <= TimeSpan.Zero) interval = TimeSpan.FromSeconds(5);
        using var changed = new SemaphoreSlim(0);
        void OnChange(CibChange _) => changed.Release();
        client.Changed += OnChange;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                Draw();
                try
                {
                    if (changed.Wait(interval, stop))
                    {
                        // A burst of changes: wait a moment and take them all in one frame.
                        stop.WaitHandle.WaitOne(Coalesce);
                        while (changed.CurrentCount > 0 && changed.Wait(0)) { }
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            client.Changed -= OnChange;
        }
    }

    private void Draw()
    {
        var (cib, reply) = CibConnection.Query(client);
        show(cib is null ? $"Connection to the cluster failed: {reply.Error}\n" : render(cib, DateTimeOffset.UtcNow));
        Frames++;
    }

    /// <summary>A terminal frame: cursor home, clear, then the text.</summary>
    public static string ForTerminal(string text) => "\u001b[H\u001b[2J" + text;

    /// <summary>Replaces <paramref name="path"/> in one step (a web server never serves half a page).</summary>
    public static void WriteFile(string path, string text)
    {
        var full = Path.GetFullPath(path);
        var temp = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        File.WriteAllText(temp, text);
        File.Move(temp, full, overwrite: true);
    }
}
