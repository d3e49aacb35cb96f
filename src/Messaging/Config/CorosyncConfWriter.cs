using System.Globalization;
using System.Text;
using Cluster.Messaging.Cmap;

namespace Cluster.Messaging.Config;

/// <summary>Writes a <see cref="CorosyncConfig"/> as corosync.conf text that the parser reads back to the same model.</summary>
public static class CorosyncConfWriter
{
    private const string Indent = "    ";

    /// <summary>A nested section built from dotted key paths, children in first-seen order.</summary>
    private sealed class Block(string name)
    {
        public string Name { get; } = name;
        public List<(string Key, string Value)> Keys { get; } = [];
        public List<Block> Children { get; } = [];

        public Block Child(string name)
        {
            var child = Children.FirstOrDefault(c => c.Name == name);
            if (child is null)
                Children.Add(child = new Block(name));
            return child;
        }

        public void Add(string path, CmapValue value)
        {
            var parts = path.Split('.');
            var block = this;
            foreach (var part in parts[..^1])
                block = block.Child(part);
            block.Keys.Add((parts[^1], value.Format()));
        }
    }

    public static string Write(CorosyncConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var text = new StringBuilder();

        var totem = new Block("totem");
        foreach (var (key, value) in config.Totem.Values)
            totem.Add(key, value);
        var rootOther = new Block("");
        WriteOpen(text, 0, "totem");
        WriteKeys(text, 1, totem.Keys);
        foreach (var link in config.Interfaces)
        {
            WriteOpen(text, 1, "interface");
            WriteKeys(text, 2, [("linknumber", link.LinkNumber.ToString(CultureInfo.InvariantCulture))]);
            WriteKeys(text, 2, link.Values.Select(kv => (kv.Key, kv.Value.Format())));
            WriteClose(text, 1);
        }
        WriteClose(text, 0);

        if (config.Nodes.Count > 0)
        {
            text.AppendLine();
            WriteOpen(text, 0, "nodelist");
            foreach (var node in config.Nodes)
            {
                WriteOpen(text, 1, "node");
                WriteKeys(text, 2, node.Values.Select(kv => (kv.Key, kv.Value.Format())));
                WriteClose(text, 1);
            }
            WriteClose(text, 0);
        }

        WriteSettings(text, "quorum", config.Quorum.Values);

        if (config.Logging.Values.Count > 0 || config.Logging.Subsystems.Count > 0)
        {
            text.AppendLine();
            WriteOpen(text, 0, "logging");
            WriteKeys(text, 1, config.Logging.Values.Select(kv => (kv.Key, kv.Value.Format())));
            foreach (var subsys in config.Logging.Subsystems)
            {
                WriteOpen(text, 1, "logger_subsys");
                WriteKeys(text, 2, [("subsys", subsys.Subsys)]);
                WriteKeys(text, 2, subsys.Values.Select(kv => (kv.Key, kv.Value.Format())));
                WriteClose(text, 1);
            }
            WriteClose(text, 0);
        }

        WriteSettings(text, "system", config.System.Values);

        // Keys corosync does not interpret, grouped back into their sections; uidgid entries
        // go back to their "uid: name" form.
        var uidgid = new List<(string, string)>();
        foreach (var (path, value) in config.Other)
        {
            if (path.StartsWith("uidgid.uid.", StringComparison.Ordinal) || path.StartsWith("uidgid.gid.", StringComparison.Ordinal))
                uidgid.Add((path[7..10], path[11..]));
            else
                rootOther.Add(path, value);
        }
        if (rootOther.Keys.Count > 0)
        {
            text.AppendLine();
            WriteKeys(text, 0, rootOther.Keys);
        }
        foreach (var block in rootOther.Children)
        {
            text.AppendLine();
            WriteBlock(text, 0, block);
        }
        if (uidgid.Count > 0)
        {
            text.AppendLine();
            WriteOpen(text, 0, "uidgid");
            WriteKeys(text, 1, uidgid);
            WriteClose(text, 0);
        }
        return text.ToString();
    }

    private static void WriteSettings(StringBuilder text, string section, ConfSettings values)
    {
        if (values.Count == 0)
            return;
        var block = new Block(section);
        foreach (var (key, value) in values)
            block.Add(key, value);
        text.AppendLine();
        WriteBlock(text, 0, block);
    }

    private static void WriteBlock(StringBuilder text, int depth, Block block)
    {
        WriteOpen(text, depth, block.Name);
        WriteKeys(text, depth + 1, block.Keys);
        foreach (var child in block.Children)
            WriteBlock(text, depth + 1, child);
        WriteClose(text, depth);
    }

    private static void WriteOpen(StringBuilder text, int depth, string name) =>
        text.Append(Pad(depth)).Append(name).AppendLine(" {");

    private static void WriteClose(StringBuilder text, int depth) =>
        text.Append(Pad(depth)).AppendLine("}");

    private static void WriteKeys(StringBuilder text, int depth, IEnumerable<(string Key, string Value)> keys)
    {
        foreach (var (key, value) in keys)
        {
            text.Append(Pad(depth)).Append(key).Append(':');
            if (value.Length > 0)
                text.Append(' ').Append(value);
            text.AppendLine();
        }
    }

    private static string Pad(int depth) => string.Concat(Enumerable.Repeat(Indent, depth));
}
