using System.Xml.Linq;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary><c>pcs resource group add|remove</c> and <c>ungroup</c>: primitives moved in and out of a &lt;group&gt;.</summary>
public static class GroupCommands
{
    public static PcsCommand Add { get; } = Pcs.Command("resource group add", "resource group add <group id> <resource id>... [--before|--after <resource id>]", inv =>
    {
        if (inv.Args.Count < 2)
            return inv.Usage("usage: pcs resource group add <group id> <resource id> [resource id]... [--before <resource id> | --after <resource id>]");
        return PcsCibSession.Edit(inv, cib =>
        {
            var groupId = inv.Args[0];
            var ids = inv.Args.Skip(1).ToList();
            // pcs 0.11.5 reports every problem at once, in this order: the group, duplicates, each
            // resource's existence and kind, resources already in the group, nothing left to add.
            var errors = new List<string>();
            var existing = cib.FindResource(groupId);
            if (existing is not null && existing.Name.LocalName != "group")
                errors.Add($"'{groupId}' is not a group");
            else if (existing is null && PcsCib.IdError(groupId, "group name") is { } bad)
                errors.Add(bad);
            var duplicates = ids.GroupBy(i => i, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'").ToList();
            if (duplicates.Count > 0)
                errors.Add($"Resources to add or remove must be unique, duplicate resources: {string.Join(", ", duplicates)}");
            var members = new List<XElement>();
            var alreadyThere = new List<string>();
            foreach (var id in ids.Distinct(StringComparer.Ordinal))
            {
                var e = cib.FindResource(id);
                if (e is null) errors.Add($"'{id}' does not exist");
                else if (e.Name.LocalName != "primitive")
                    errors.Add($"'{id}' is a {e.Name.LocalName} resource, {e.Name.LocalName} resources cannot be put into a group");
                else if (e.Parent?.Name.LocalName == "clone")
                    errors.Add($"'{id}' cannot be put into a group because its parent '{(string?)e.Parent.Attribute("id")}' is a clone resource");
                else
                {
                    if (e.Parent?.Name.LocalName == "group" && (string?)e.Parent.Attribute("id") == groupId)
                        alreadyThere.Add($"Cannot add resource '{id}', it is already present in group '{groupId}'");
                    members.Add(e);
                }
            }
            errors.AddRange(alreadyThere);
            if (ids.Count > 0 && ids.All(i => cib.FindResource(i) is null))
                errors.Add($"Cannot modify group '{groupId}', no resources to add or remove specified");
            var anchorId = inv.Options.Value("--before") ?? inv.Options.Value("--after");
            if (anchorId is not null && cib.FindResource(anchorId) is null) errors.Add($"'{anchorId}' does not exist");
            if (errors.Count > 0) return inv.FailAll(errors);
            return AddToGroup(inv, cib, groupId, members, inv.Options.Value("--before"), inv.Options.Value("--after"));
        });
    });

    /// <summary>Moves (or puts new) primitives into group <paramref name="groupId"/>, creating it at the end of resources when missing.</summary>
    internal static int AddToGroup(PcsInvocation inv, PcsCib cib, string groupId, List<XElement> members, string? before, string? after)
    {
        var group = cib.FindResource(groupId);
        if (group is not null && group.Name.LocalName != "group")
            return inv.FailAll([$"'{groupId}' is not a group"]);
        if (group is null)
        {
            if (cib.IdExists(groupId)) return inv.FailAll([$"'{groupId}' already exists"]);
            if (PcsCib.IdError(groupId, "group name") is { } bad) return inv.FailAll([bad]);
            group = new XElement("group", new XAttribute("id", groupId));
            cib.Section("resources").Add(group);
        }
        var anchorId = before ?? after;
        XElement? anchor = null;
        if (anchorId is not null)
        {
            anchor = group.Elements("primitive").FirstOrDefault(p => (string?)p.Attribute("id") == anchorId);
            if (anchor is null) return inv.FailAll([$"There is no resource '{anchorId}' in the group '{groupId}'"]);
        }
        foreach (var m in members)
        {
            var oldParent = m.Parent;
            if (oldParent is not null)
            {
                m.Remove();
                if (oldParent.Name.LocalName == "group" && !oldParent.Elements("primitive").Any()) RemoveEmptyGroup(cib, oldParent);
            }
            if (anchor is null) group.Add(m);
            else if (before is not null) anchor.AddBeforeSelf(m);
            else
            {
                anchor.AddAfterSelf(m);
                anchor = m;
            }
        }
        return 0;
    }

    public static PcsCommand Remove { get; } = Pcs.Command("resource group remove", "resource group remove <group id> [<resource id>]...", RemoveRun);

    public static PcsCommand Ungroup { get; } = Pcs.Command("resource ungroup", "resource ungroup <group id> [<resource id>]...", RemoveRun);

    private static int RemoveRun(PcsInvocation inv)
    {
        if (inv.Args.Count < 1)
            return inv.Usage("usage: pcs resource group remove <group id> [<resource id>]...");
        return PcsCibSession.Edit(inv, cib =>
        {
            var group = cib.FindResource(inv.Args[0]);
            if (group is null || group.Name.LocalName != "group")
                return inv.Usage($"Group '{inv.Args[0]}' does not exist");
            var ids = inv.Args.Count > 1 ? inv.Args.Skip(1).ToList()
                : group.Elements("primitive").Select(p => (string?)p.Attribute("id") ?? "").ToList();
            var resources = cib.Section("resources");
            foreach (var id in ids)
            {
                var m = group.Elements("primitive").FirstOrDefault(p => (string?)p.Attribute("id") == id);
                if (m is null) return inv.Usage($"Resource '{id}' does not exist in group '{inv.Args[0]}'");
                m.Remove();
                resources.Add(m);
            }
            if (!group.Elements("primitive").Any()) RemoveEmptyGroup(cib, group);
            return 0;
        });
    }

    /// <summary>An empty group goes, with the constraints that name it.</summary>
    internal static void RemoveEmptyGroup(PcsCib cib, XElement group)
    {
        var id = (string?)group.Attribute("id") ?? "";
        ConstraintCommands.RemoveReferences(cib, id, _ => { });
        (group.Parent?.Name.LocalName == "clone" ? group.Parent : group).Remove();
    }
}
