using System.Globalization;
using Cluster.Messaging.Cmap;

namespace Cluster.Messaging.Config;

/// <summary>Sorts parsed keys into the sections of a <see cref="CorosyncConfig"/> (last key wins, as in cmap).</summary>
public static class CorosyncConfigBuilder
{
    public static CorosyncConfig Build(IEnumerable<ConfigKey> keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var totem = new Dictionary<string, CmapValue>(StringComparer.Ordinal);
        var interfaces = new SortedDictionary<byte, Dictionary<string, CmapValue>>();
        var nodes = new SortedDictionary<int, Dictionary<string, CmapValue>>();
        var quorum = new Dictionary<string, CmapValue>(StringComparer.Ordinal);
        var logging = new Dictionary<string, CmapValue>(StringComparer.Ordinal);
        var subsystems = new List<(string Name, Dictionary<string, CmapValue> Values)>();
        var system = new Dictionary<string, CmapValue>(StringComparer.Ordinal);
        var other = new Dictionary<string, CmapValue>(StringComparer.Ordinal);

        foreach (var key in keys)
        {
            var parts = key.Path.Split('.');
            switch (parts)
            {
                case ["totem", "interface", var link, var name] when byte.TryParse(link, NumberStyles.None, CultureInfo.InvariantCulture, out var number):
                    Section(interfaces, number)[name] = key.Value;
                    break;
                case ["totem", var name]:
                    totem[name] = key.Value;
                    break;
                case ["nodelist", "node", var index, var name] when int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var number):
                    Section(nodes, number)[name] = key.Value;
                    break;
                case ["quorum", _, ..]: // a top-level key named "quorum" is not this section (found by cluster-fuzz)
                    quorum[key.Path["quorum.".Length..]] = key.Value;
                    break;
                case ["logging", "logger_subsys", var subsys, var name]:
                    var block = subsystems.FirstOrDefault(s => s.Name == subsys);
                    if (block.Values is null)
                    {
                        block = (subsys, new Dictionary<string, CmapValue>(StringComparer.Ordinal));
                        subsystems.Add(block);
                    }
                    if (name != "subsys")
                        block.Values[name] = key.Value;
                    break;
                case ["logging", var name]:
                    logging[name] = key.Value;
                    break;
                case ["system", var name]:
                    system[name] = key.Value;
                    break;
                default:
                    other[key.Path] = key.Value;
                    break;
            }
        }

        return new CorosyncConfig(
            new TotemConfig(ConfSettings.From(totem)),
            new ValueList<InterfaceConfig>(interfaces.Select(i => new InterfaceConfig(i.Key, ConfSettings.From(i.Value)))),
            new ValueList<NodeConfig>(nodes.Values.Select(n => new NodeConfig(ConfSettings.From(n)))),
            new QuorumConfig(ConfSettings.From(quorum)),
            new LoggingConfig(ConfSettings.From(logging),
                new ValueList<LoggerSubsysConfig>(subsystems.Select(s => new LoggerSubsysConfig(s.Name, ConfSettings.From(s.Values))))),
            new SystemConfig(ConfSettings.From(system)),
            ConfSettings.From(other));
    }

    private static Dictionary<string, CmapValue> Section<TKey>(SortedDictionary<TKey, Dictionary<string, CmapValue>> sections, TKey key)
        where TKey : notnull
    {
        if (!sections.TryGetValue(key, out var values))
            sections[key] = values = new Dictionary<string, CmapValue>(StringComparer.Ordinal);
        return values;
    }
}
