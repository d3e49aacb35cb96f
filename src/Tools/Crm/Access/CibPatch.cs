using System.Xml.Linq;
using Cluster.Crm.CibClient;

namespace Cluster.Tools.Crm.Access;

/// <summary>
/// How a tool that edited a copy of the live CIB writes it back without undoing what others
/// changed meanwhile (the controllers write the status section all the time): only the
/// configuration sections that differ are replaced, and only the transient node attributes that
/// differ are set or deleted. A whole-CIB replace would be refused as older as soon as any
/// status update landed between the query and the write.
/// </summary>
public static class CibPatch
{
    public static IReadOnlyList<CibRequest> Requests(XElement original, XElement modified)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(modified);
        var requests = new List<CibRequest>();
        var before = original.Element("configuration");
        var after = modified.Element("configuration");
        if (after is not null && (before is null || !XNode.DeepEquals(before, after)))
        {
            var names = after.Elements().Select(e => e.Name.LocalName).ToList();
            bool removedSection = before?.Elements().Any(e => after.Element(e.Name) is null) ?? false;
            bool duplicated = names.Count != names.Distinct(StringComparer.Ordinal).Count();
            if (before is null || removedSection || duplicated)
                requests.Add(new CibRequest(CibCommand.Replace, "configuration", Data: new XElement(after)));
            else
                foreach (var section in after.Elements())
                {
                    if (before.Element(section.Name) is not { } old)
                        requests.Add(new CibRequest(CibCommand.Create, "configuration", Data: new XElement(section)));
                    else if (!XNode.DeepEquals(old, section))
                        requests.Add(new CibRequest(CibCommand.Replace, section.Name.LocalName, Data: new XElement(section)));
                }
        }
        AddAttributeChanges(original, modified, requests);
        return requests;
    }

    private static void AddAttributeChanges(XElement original, XElement modified, List<CibRequest> requests)
    {
        static Dictionary<(string Node, string Set, string Id), XElement> Pairs(XElement cib) =>
            (cib.Element("status")?.Elements("node_state") ?? [])
                .SelectMany(state => state.Elements("transient_attributes").Elements("instance_attributes").Elements("nvpair")
                    .Select(nv => (Key: ((string?)state.Attribute("id") ?? "", (string?)nv.Parent!.Attribute("id") ?? "", (string?)nv.Attribute("id") ?? ""), Pair: nv)))
                .GroupBy(x => x.Key).ToDictionary(g => g.Key, g => g.First().Pair);
        var before = Pairs(original);
        var after = Pairs(modified);
        foreach (var (key, pair) in after)
        {
            if (before.TryGetValue(key, out var old) && XNode.DeepEquals(old, pair)) continue;
            var state = pair.Parent!.Parent!.Parent!;
            requests.Add(new CibRequest(CibCommand.Modify, "status", Options: CibCallOptions.AllowCreate, Data:
                new XElement("node_state", new XAttribute("id", key.Node), state.Attribute("uname"),
                    new XElement("transient_attributes", new XAttribute("id", key.Node),
                        new XElement("instance_attributes", new XAttribute("id", key.Set), new XElement(pair))))));
        }
        foreach (var key in before.Keys.Where(k => !after.ContainsKey(k)))
        {
            if (key.Node.Contains('\'', StringComparison.Ordinal) || key.Id.Contains('\'', StringComparison.Ordinal)) continue;
            requests.Add(new CibRequest(CibCommand.Delete, XPath: $"/cib/status/node_state[@id='{key.Node}']/transient_attributes/instance_attributes/nvpair[@id='{key.Id}']"));
        }
    }

    /// <summary>Writes <paramref name="modified"/> back: on a file the whole CIB, live only what changed. Returns the first refusal, or success.</summary>
    public static CibReply Save(ICibClient client, bool live, XElement original, XElement modified)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (!live)
            return client.Execute(new CibRequest(CibCommand.Replace, Data: modified));
        foreach (var request in Requests(original, modified))
        {
            var reply = client.Execute(request);
            if (!reply.Ok) return reply;
        }
        return CibReply.Success();
    }
}
