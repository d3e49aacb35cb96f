using System.Net;

namespace Cluster.Messaging.Config;

/// <summary>
/// Resolves names from an /etc/hosts-format file first, then from another resolver. With HA_ROOT
/// set, <c>$HA_ROOT/etc/hosts</c> plays the role /etc/hosts plays for the real daemon, so a test
/// or a node run under HA_ROOT can name its peers (HA1, HA2 ...) without touching the machine's /etc/hosts.
/// </summary>
public sealed class HostsFileResolver(string hostsFile, IAddressResolver fallback) : IAddressResolver
{
    public IReadOnlyList<IPAddress> Resolve(string name)
    {
        var found = new List<IPAddress>();
        if (File.Exists(hostsFile))
        {
            foreach (var raw in File.ReadLines(hostsFile))
            {
                var hash = raw.IndexOf('#', StringComparison.Ordinal);
                var fields = (hash < 0 ? raw : raw[..hash]).Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
                if (fields.Length >= 2 && IPAddress.TryParse(fields[0], out var address)
                    && fields.Skip(1).Any(alias => string.Equals(alias, name, StringComparison.OrdinalIgnoreCase)))
                    found.Add(address);
            }
        }
        return found.Count > 0 ? found : fallback.Resolve(name);
    }

    /// <summary>The resolver the tools use: <c>$HA_ROOT/etc/hosts</c> then the system's, or just the system's without HA_ROOT.</summary>
    public static IAddressResolver ForRoot(Cluster.Common.Paths.HaPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return paths.Root.Length == 0
            ? SystemAddressResolver.Instance
            : new HostsFileResolver(paths.Under("/etc/hosts"), SystemAddressResolver.Instance);
    }
}
