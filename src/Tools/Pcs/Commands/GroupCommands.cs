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
            var members = new List<XElement>();
            foreach (var id in inv.Args.Skip(1))
            {
                var e = cib.FindResource(id);
                if (e is null) return inv.FailAll([$"Resource '{id}' does not exist"]);
                if (e.Name.LocalName != "primitive")
                    return inv.FailAll([$"'{id}' is a {e.Name.LocalName} resource, a group may only contain primitive resources"]);
                if (e.Parent?.Name.LocalName == "clone")
                    return inv.FailAll([$"'{id}' is a clone resource, clone resources cannot be put into a group"]);
                members.Add(e);
            }
            return AddToGroup(inv, cib, inv.Args[0], members, inv.Options.Value("--before"), inv.Options.Value("--after"));
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
                return inv.FailAll([$"Group '{inv.Args[0]}' does not exist"]);
            var ids = inv.Args.Count > 1 ? inv.Args.Skip(1).ToList()
                : group.Elements("primitive").Select(p => (string?)p.Attribute("id") ?? "").ToList();
            var resources = cib.Section("resources");
            foreach (var id in ids)
            {
                var m = group.Elements("primitive").FirstOrDefault(p => (string?)p.Attribute("id") == id);
                if (m is null) return inv.FailAll([$"Resource '{id}' does not exist in group '{inv.Args[0]}'"]);
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
