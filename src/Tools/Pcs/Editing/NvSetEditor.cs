using System.Xml.Linq;

namespace Cluster.Tools.Pcs.Editing;

/// <summary>Name/value sets as pcs writes them: set id "OWNER-meta_attributes", nvpair id "SETID-NAME".</summary>
public static class NvSetEditor
{
    /// <summary>The first set named <paramref name="element"/> under <paramref name="parent"/>, or a new one with id <paramref name="newId"/>.</summary>
    public static XElement GetOrAdd(PcsCib cib, XElement parent, string element, string newId, bool first = false)
    {
        if (parent.Element(element) is { } existing) return existing;
        var set = new XElement(element, new XAttribute("id", cib.UniqueId(newId)));
        if (first) parent.AddFirst(set);
        else parent.Add(set);
        return set;
    }

    /// <summary>
    /// Sets <paramref name="name"/>; an empty value removes it (pcs's rule for update/meta/property set).
    /// A new pair's id is the set's id and the name; <c>pcs property set</c> and <c>pcs resource
    /// [op] defaults</c> cut that name to its first 20 characters (as pcs 0.11.5 does: e.g.
    /// cib-bootstrap-options-start-failure-is-fat), which <paramref name="idNameLength"/> asks for.
    /// </summary>
    public static void Set(PcsCib cib, XElement set, string name, string value, int? idNameLength = null)
    {
        var pair = set.Elements("nvpair").FirstOrDefault(p => (string?)p.Attribute("name") == name);
        if (value.Length == 0)
        {
            pair?.Remove();
            return;
        }
        if (pair is not null)
        {
            pair.SetAttributeValue("value", value);
            return;
        }
        var setId = (string?)set.Attribute("id") ?? "";
        var idName = idNameLength is { } max && name.Length > max ? name[..max] : name;
        set.Add(new XElement("nvpair", new XAttribute("id", cib.UniqueId($"{setId}-{idName}")),
            new XAttribute("name", name), new XAttribute("value", value)));
    }

    public static string? Get(XElement? parent, string element, string name) =>
        parent?.Elements(element).SelectMany(s => s.Elements("nvpair"))
            .FirstOrDefault(p => (string?)p.Attribute("name") == name)?.Attribute("value")?.Value;

    /// <summary>name=value pairs of every set named <paramref name="element"/>, in document order.</summary>
    public static IEnumerable<(string Name, string Value)> Pairs(XElement? set) =>
        set?.Elements("nvpair").Select(p => ((string?)p.Attribute("name") ?? "", (string?)p.Attribute("value") ?? "")) ?? [];

    /// <summary>Splits "k=v" words; a word without '=' is an error naming it.</summary>
    public static (List<(string Name, string Value)> Pairs, string? Error) ParsePairs(IEnumerable<string> words)
    {
        var result = new List<(string, string)>();
        foreach (var w in words)
        {
            var eq = w.IndexOf('=');
            if (eq <= 0) return (result, $"missing value of '{w}' option");
            result.Add((w[..eq], w[(eq + 1)..]));
        }
        return (result, null);
    }
}
