using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary><c>pcs property [config|list] [--all|--defaults|NAME]</c>, <c>set</c>, <c>unset</c>: cluster options in cib-bootstrap-options.</summary>
public static class PropertyCommands
{
    private const string SetId = "cib-bootstrap-options";

    public static PcsCommand Show { get; } = Pcs.Command("property", "property [config] [--all | --defaults | <name>]", ShowRun);

    public static PcsCommand Config { get; } = Pcs.Command("property config", "property config [--all | --defaults | <name>]", ShowRun);

    public static PcsCommand List { get; } = Pcs.Command("property list", "property list [--all | --defaults]", ShowRun);

    private static int ShowRun(PcsInvocation inv)
    {
        if (inv.Args.Count > 1)
            return inv.Usage("usage: pcs property [config] [--all | --defaults | <property>]");
        return PcsCibSession.Read(inv, cib =>
        {
            var set = Current(cib);
            var lines = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (inv.Options.Has("--defaults"))
            {
                foreach (var p in ClusterProperties.All.Where(p => !p.ReadOnly)) lines[p.Name] = p.Default;
            }
            else
            {
                if (inv.Options.Has("--all"))
                    foreach (var p in ClusterProperties.All.Where(p => p.Default.Length > 0)) lines[p.Name] = p.Default;
                foreach (var (name, value) in set) lines[name] = value;
            }
            inv.Out.WriteLine("Cluster Properties:");
            foreach (var (name, value) in lines)
                if (inv.Args.Count == 0 || inv.Args[0] == name)
                    inv.Out.WriteLine($" {name}: {value}");
            return 0;
        });
    }

    /// <summary>Explicitly set properties of the first cluster_property_set.</summary>
    public static List<(string Name, string Value)> Current(PcsCib cib) =>
        [.. NvSetEditor.Pairs(cib.FindSection("crm_config")?.Elements("cluster_property_set")
            .FirstOrDefault(s => (string?)s.Attribute("id") == SetId) ?? cib.FindSection("crm_config")?.Element("cluster_property_set"))];

    public static PcsCommand Set { get; } = Pcs.Command("property set", "property set <name>=<value>... [--force]", inv =>
    {
        var (pairs, error) = NvSetEditor.ParsePairs(inv.Args);
        if (error is not null || pairs.Count == 0)
            return inv.Usage(error ?? "usage: pcs property set <property>=[<value>] ...");
        var errors = pairs.Select(p => ClusterProperties.Validate(p.Name, p.Value)).OfType<string>().ToList();
        if (errors.Count > 0)
        {
            if (!inv.Options.Force)
                return inv.FailAll(errors.Select(Pcs.Forceable));
            foreach (var e in errors) inv.Err.WriteLine($"Warning: {e}");
        }
        return PcsCibSession.Edit(inv, cib =>
        {
            var set = PropertySet(cib);
            foreach (var (name, value) in pairs)
                NvSetEditor.Set(cib, set, name, value, idNameLength: 20);
            return 0;
        });
    });

    public static PcsCommand Unset { get; } = Pcs.Command("property unset", "property unset <name>... [--force]", inv =>
    {
        if (inv.Args.Count == 0)
            return inv.Usage("usage: pcs property unset <property> ...");
        return PcsCibSession.Edit(inv, cib =>
        {
            var set = PropertySet(cib);
            var missing = inv.Args.Where(n => !set.Elements("nvpair").Any(p => (string?)p.Attribute("name") == n)).ToList();
            if (missing.Count > 0 && !inv.Options.Force)
                return inv.FailAll(missing.Select(n => Pcs.Forceable($"Cannot remove property '{n}', it is not present in property set '{SetId}'")));
            foreach (var name in inv.Args)
                NvSetEditor.Set(cib, set, name, "");
            return 0;
        });
    });

    private static System.Xml.Linq.XElement PropertySet(PcsCib cib)
    {
        var crmConfig = cib.Section("crm_config");
        return crmConfig.Elements("cluster_property_set").FirstOrDefault(s => (string?)s.Attribute("id") == SetId)
               ?? NvSetEditor.GetOrAdd(cib, crmConfig, "cluster_property_set", SetId, first: true);
    }
}
