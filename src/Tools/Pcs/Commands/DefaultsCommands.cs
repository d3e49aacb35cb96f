using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary><c>pcs resource [op] defaults [config|update K=V...]</c>: rsc_defaults / op_defaults meta attributes.</summary>
public static class DefaultsCommands
{
    private const string Warning = "Warning: Defaults do not apply to resources which override them with their own defined values";

    public static IEnumerable<PcsCommand> All { get; } =
    [
        Pcs.Command("resource defaults", "resource defaults [config | update <name>=<value>...]", inv => Run(inv, "rsc_defaults", inv.Args, legacy: true)),
        Pcs.Command("resource defaults config", "resource defaults config", inv => Show(inv, "rsc_defaults")),
        Pcs.Command("resource defaults update", "resource defaults update <name>=<value>...", inv => Update(inv, "rsc_defaults", inv.Args)),
        Pcs.Command("resource op defaults", "resource op defaults [config | update <name>=<value>...]", inv => Run(inv, "op_defaults", inv.Args, legacy: true)),
        Pcs.Command("resource op defaults config", "resource op defaults config", inv => Show(inv, "op_defaults")),
        Pcs.Command("resource op defaults update", "resource op defaults update <name>=<value>...", inv => Update(inv, "op_defaults", inv.Args)),
        // The tutorial's pcs 0.9 spelling.
        Pcs.Command("resource rsc defaults", "resource rsc defaults <name>=<value>... (old form of 'resource defaults update')", inv =>
        {
            inv.Err.WriteLine($"Warning: 'pcs resource rsc defaults' is the old form; today's is 'pcs resource defaults{(inv.Args.Count == 0 ? "" : " update " + string.Join(' ', inv.Args))}'");
            return inv.Args.Count == 0 ? Show(inv, "rsc_defaults") : Update(inv, "rsc_defaults", inv.Args);
        }),
    ];

    private static int Run(PcsInvocation inv, string section, IReadOnlyList<string> args, bool legacy)
    {
        if (args.Count == 0) return Show(inv, section);
        if (legacy)
            inv.Err.WriteLine($"Deprecation Warning: This command is deprecated and will be removed. Please use 'pcs resource {(section == "op_defaults" ? "op " : "")}defaults update' instead.");
        return Update(inv, section, args);
    }

    private static int Show(PcsInvocation inv, string section) => PcsCibSession.Read(inv, cib =>
    {
        Write(inv.Out, cib, section, "");
        return 0;
    });

    /// <summary>"Meta Attrs: ID" and sorted name=value lines, or "No defaults set".</summary>
    public static void Write(TextWriter o, PcsCib cib, string section, string indent)
    {
        var sets = cib.FindSection(section)?.Elements("meta_attributes").ToList() ?? [];
        if (sets.Count == 0)
        {
            o.WriteLine($"{indent}No defaults set");
            return;
        }
        foreach (var set in sets)
        {
            o.WriteLine($"{indent}Meta Attrs: {(string?)set.Attribute("id")}");
            foreach (var (n, v) in NvSetEditor.Pairs(set).OrderBy(p => p.Name, StringComparer.Ordinal))
                o.WriteLine($"{indent}  {n}={Display.ResourceConfigFormatter.Quote(v)}");
        }
    }

    private static int Update(PcsInvocation inv, string section, IReadOnlyList<string> args)
    {
        var (pairs, error) = NvSetEditor.ParsePairs(args);
        if (error is not null) return inv.Usage(error);
        return PcsCibSession.Edit(inv, cib =>
        {
            var set = NvSetEditor.GetOrAdd(cib, cib.Section(section), "meta_attributes", $"{section}-meta_attributes");
            foreach (var (n, v) in pairs) NvSetEditor.Set(cib, set, n, v, idNameLength: 20);
            inv.Err.WriteLine(Warning);
            return 0;
        });
    }
}
