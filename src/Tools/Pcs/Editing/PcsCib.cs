using System.Text;
using System.Xml.Linq;

namespace Cluster.Tools.Pcs.Editing;

/// <summary>
/// The CIB as pcs edits it: one XML tree read at the start of a command and written back whole
/// at its end, with pcs's rules for sections and ids. Sans-IO: loading and saving belong to
/// <see cref="PcsCibSession"/>.
/// </summary>
public sealed class PcsCib(XElement root)
{
    public XElement Root { get; } = root;

    public XElement Configuration => Root.Element("configuration") ?? Add(Root, "configuration");

    /// <summary>A configuration section (crm_config, nodes, resources, constraints, rsc_defaults, op_defaults), created when missing.</summary>
    /// <summary>
    /// Whether the CIB's schema takes the role names Promoted and Unpromoted (pacemaker-3.7 on);
    /// before that pcs writes Master and Slave.
    /// </summary>
    public bool NewRolesSupported
    {
        get
        {
            var schema = (string?)Root.Attribute("validate-with") ?? "";
            if (schema == "pacemaker-next") return true;
            var m = System.Text.RegularExpressions.Regex.Match(schema, @"^pacemaker-(\d+)\.(\d+)$");
            return m.Success && int.TryParse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var major)
                && int.TryParse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture, out var minor)
                && (major > 3 || (major == 3 && minor >= 7));
        }
    }

    /// <summary>A role as pcs writes it into this CIB: Promoted/Unpromoted or Master/Slave by schema, others as given.</summary>
    public string CibRole(string role) => role switch
    {
        "Promoted" or "Master" => NewRolesSupported ? "Promoted" : "Master",
        "Unpromoted" or "Slave" => NewRolesSupported ? "Unpromoted" : "Slave",
        _ => role,
    };

    public XElement Section(string name) => Configuration.Element(name) ?? AddSection(name);

    public XElement? FindSection(string name) => Root.Element("configuration")?.Element(name);

    /// <summary>The resources section's element with this id (primitive, group, clone, bundle).</summary>
    public XElement? FindResource(string id) =>
        FindSection("resources")?.Descendants().FirstOrDefault(e => e.Name.LocalName is "primitive" or "group" or "clone" or "master" or "bundle"
            && (string?)e.Attribute("id") == id);

    public IEnumerable<XElement> Primitives => FindSection("resources")?.Descendants("primitive") ?? [];

    public IEnumerable<XElement> Constraints => FindSection("constraints")?.Elements() ?? [];

    public IEnumerable<string> NodeNames =>
        (FindSection("nodes")?.Elements("node") ?? []).Select(n => (string?)n.Attribute("uname") ?? (string?)n.Attribute("id") ?? "")
            .Concat(Root.Element("status")?.Elements("node_state").Select(n => (string?)n.Attribute("uname") ?? "") ?? [])
            .Where(n => n.Length > 0).Distinct(StringComparer.Ordinal);

    public bool IdExists(string id) => Root.Descendants().Any(e => (string?)e.Attribute("id") == id && e.Name.LocalName != "node_state"
        && e.Ancestors("status").FirstOrDefault() is null);

    /// <summary>pcs's unique id: the candidate, else candidate-1, candidate-2, ...</summary>
    public string UniqueId(string candidate, ISet<string>? reserved = null, bool sanitize = true)
    {
        // pcs's older commands (colocation add, order) use the text as it is; the CIB's schema then
        // refuses an id such as "order-A-B-+5".
        var id = sanitize ? SanitizeId(candidate) : candidate;
        if (!IdExists(id) && reserved?.Contains(id) != true) return id;
        for (var i = 1; ; i++)
        {
            var next = $"{id}-{i}";
            if (!IdExists(next) && reserved?.Contains(next) != true) return next;
        }
    }

    /// <summary>An XML id from any text, as pcs makes one: invalid characters dropped, a bad first character removed.</summary>
    public static string SanitizeId(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            bool valid = sb.Length == 0 ? char.IsAsciiLetter(c) || c == '_' : char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_';
            if (valid) sb.Append(c);
        }
        return sb.Length == 0 ? "_" : sb.ToString();
    }

    /// <summary>Is this a valid XML id as Pacemaker's schema wants (pcs checks this for user-given ids)?</summary>
    public static string? IdError(string id, string what)
    {
        if (id.Length == 0) return $"{what} cannot be empty";
        if (!(char.IsAsciiLetter(id[0]) || id[0] == '_'))
            return $"invalid {what} '{id}', '{id[0]}' is not a valid first character for a {what}";
        foreach (var c in id)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
                return $"invalid {what} '{id}', '{c}' is not a valid character for a {what}";
        return null;
    }

    // Sections in the order Pacemaker's schema requires them.
    private static readonly string[] SectionOrder = ["crm_config", "nodes", "resources", "constraints", "fencing-topology", "op_defaults", "rsc_defaults", "alerts", "tags"];

    private XElement AddSection(string name)
    {
        var config = Configuration;
        var element = new XElement(name);
        // The four base sections keep their order; later ones (defaults, alerts, tags) go last, as pcs adds them.
        var rank = Array.IndexOf(SectionOrder, name);
        var after = rank <= 3 ? config.Elements().LastOrDefault(e => Array.IndexOf(SectionOrder, e.Name.LocalName) is var r && r >= 0 && r < rank) : null;
        if (rank > 3) config.Add(element);
        else if (after is not null) after.AddAfterSelf(element);
        else config.AddFirst(element);
        return element;
    }

    private static XElement Add(XElement parent, string name)
    {
        var e = new XElement(name);
        parent.AddFirst(e);
        return e;
    }

    /// <summary>The CIB pcs starts from when -f names a file that does not exist.</summary>
    public static XElement Empty() => new("cib",
        new XAttribute("admin_epoch", "0"), new XAttribute("epoch", "1"), new XAttribute("num_updates", "0"),
        new XAttribute("validate-with", "pacemaker-3.1"),
        new XElement("configuration",
            new XElement("crm_config"), new XElement("nodes"), new XElement("resources"), new XElement("constraints")),
        new XElement("status"));
}
