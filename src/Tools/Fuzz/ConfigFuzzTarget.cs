using System.Net;
using System.Text;
using Cluster.Common.Paths;
using Cluster.Messaging.Config;

namespace Cluster.Tools.Fuzz;

/// <summary>
/// corosync.conf as <c>corosync -t</c> reads it: parser, builder and validator. Diagnostics are
/// the clear error; HA_ROOT is an empty directory and names resolve only as literals (no DNS).
/// </summary>
public sealed class ConfigFuzzTarget(IReadOnlyList<byte[]> corpus, string haRoot) : CorpusTarget(corpus, text: true)
{
    public override string Name => "config";

    public override FuzzVerdict Run(byte[] input)
    {
        var text = Encoding.UTF8.GetString(input);
        var result = CorosyncConfigLoader.LoadText(text, "fuzz.conf", new HaPaths(haRoot), LiteralResolver.Instance);
        if (result.Succeeded)
        {
            // What the daemon does next with an accepted file.
            _ = CorosyncConfigLoader.ResolvePaths(result.Config!, new HaPaths(haRoot));
            return FuzzVerdict.Accepted;
        }
        return FuzzVerdict.Rejected;
    }

    /// <summary>Only IP literals resolve, so a run never waits on DNS.</summary>
    private sealed class LiteralResolver : IAddressResolver
    {
        public static LiteralResolver Instance { get; } = new();

        public IReadOnlyList<IPAddress> Resolve(string name) => IPAddress.TryParse(name, out var a) ? [a] : [];
    }
}
