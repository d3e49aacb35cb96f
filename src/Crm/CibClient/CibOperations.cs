using System.Globalization;
using System.Runtime.CompilerServices;
using System.Xml.Linq;
using System.Xml.XPath;
using Cluster.Crm.Cib;

namespace Cluster.Crm.CibClient;

/// <summary>
/// The meaning of every CIB request, as pure code over a document: the one place both the CIB
/// manager (on every node, in delivery order) and the CIB_file client apply requests, so the
/// two cannot drift. Matches Pacemaker 2.1.5 (checked against cibadmin with CIB_file):
/// <list type="bullet">
/// <item>versions: a change outside &lt;status&gt; bumps epoch and resets num_updates; any other
/// change bumps num_updates; a request that changes nothing bumps nothing;</item>
/// <item>every change is validated (CibVerifier, as crm_verify checks); an invalid result is
/// refused with code 78 and nothing is applied;</item>
/// <item>errors carry Pacemaker's strerror text (<see cref="CibErrors"/>).</item>
/// </list>
/// The input document is never modified; a change works on a copy.
/// </summary>
public static class CibOperations
{
    /// <summary>The protocol version this implementation writes (Pacemaker 2.1.5's).</summary>
    public const string FeatureSet = "3.16.1";

    /// <summary>The newest schema 2.1.5 knows; --upgrade moves a CIB to it.</summary>
    public const string LatestSchema = "pacemaker-3.9";

    private static readonly string[] ConfigSections =
        ["crm_config", "nodes", "resources", "constraints", "rsc_defaults", "op_defaults", "acls", "fencing-topology", "tags", "alerts"];

    // Root attributes that record who/when/which version, not configuration: changing them is not a config change.
    private static readonly HashSet<string> BookkeepingAttributes =
        ["admin_epoch", "epoch", "num_updates", "cib-last-written", "update-origin", "update-client", "update-user", "have-quorum", "dc-uuid"];

    /// <summary>An empty CIB as `cibadmin --empty` prints it (epoch 1).</summary>
    public static XElement Empty(long epoch = 1) =>
        new("cib",
            new XAttribute("crm_feature_set", FeatureSet), new XAttribute("validate-with", LatestSchema),
            new XAttribute("epoch", epoch.ToString(CultureInfo.InvariantCulture)), new XAttribute("num_updates", "0"),
            new XAttribute("admin_epoch", "0"),
            new XElement("configuration", new XElement("crm_config"), new XElement("nodes"), new XElement("resources"), new XElement("constraints")),
            new XElement("status"));

    /// <summary>The (admin_epoch, epoch, num_updates) of a CIB element; missing or bad numbers count as 0.</summary>
    public static CibVersion VersionOf(XElement cib) => new(Number(cib, "admin_epoch"), Number(cib, "epoch"), Number(cib, "num_updates"));

    /// <summary>Applies <paramref name="request"/> to <paramref name="cib"/> (unchanged by this call).</summary>
    public static CibOutcome Apply(XElement cib, CibRequest request)
    {
        if (request.Command == CibCommand.Query) return new CibOutcome(Query(cib, request), null);
        if (request.Command is CibCommand.Create or CibCommand.Modify or CibCommand.Replace or CibCommand.Delete
            && request.Data is null && !(request.Command == CibCommand.Delete && request.XPath is not null))
            return Refuse(CibResultCode.SoftwareError);
        if (request.Command is CibCommand.Erase or CibCommand.Upgrade && !request.Options.HasFlag(CibCallOptions.Force))
            return Refuse(CibResultCode.Unsafe);

        var work = Attach(new XElement(cib));
        CibReply? failure = request.Command switch
        {
            CibCommand.Create => Create(work, request),
            CibCommand.Modify => Modify(work, request),
            CibCommand.Replace => Replace(ref work, request),
            CibCommand.Delete => Delete(work, request),
            CibCommand.Erase => Erase(ref work),
            CibCommand.Upgrade => Upgrade(work),
            CibCommand.Bump => Bump(work),
            _ => CibErrors.Reply(CibResultCode.SoftwareError),
        };
        if (failure is not null) return new CibOutcome(failure, null);
        return Finish(cib, work, request);
    }

    private static CibOutcome Refuse(CibResultCode code) => new(CibErrors.Reply(code), null);

    // ---- query -------------------------------------------------------------------------

    private static CibReply Query(XElement cib, CibRequest request)
    {
        if (request.XPath is { } xpath)
        {
            var matches = Select(cib, xpath);
            if (matches.Count == 0) return CibErrors.Reply(CibResultCode.NotFound);
            if (request.Options.HasFlag(CibCallOptions.XPathAddress))
                return CibReply.Success(new XElement("xpath-query", matches.Select(m => new XElement("xpath-query-path", new XAttribute("path", PathOf(m))))));
            if (matches.Count == 1) return CibReply.Success(new XElement(matches[0])) with { Version = VersionOf(cib).ToString() };
            return CibReply.Success(new XElement("xpath-query", matches.Select(m => new XElement(m)))) with { Version = VersionOf(cib).ToString() };
        }
        var root = SectionRoot(cib, request.Scope);
        return root is null
            ? CibErrors.Reply(CibResultCode.NotFound)
            : CibReply.Success(new XElement(root)) with { Version = VersionOf(cib).ToString() };
    }

    /// <summary>Elements an xpath selects; a selected attribute or text stands for its element (as Pacemaker does); an invalid xpath selects nothing.</summary>
    public static IReadOnlyList<XElement> Select(XElement cib, string xpath)
    {
        Attach(cib);
        try
        {
            var result = cib.XPathEvaluate(xpath);
            if (result is not IEnumerable<object> nodes) return [];
            var list = new List<XElement>();
            foreach (var n in nodes)
            {
                var e = n switch { XElement x => x, XAttribute a => a.Parent, XText t => t.Parent, _ => null };
                if (e is not null && !list.Contains(e)) list.Add(e);
            }
            return list;
        }
        catch (XPathException)
        {
            return [];
        }
    }

    /// <summary>"/cib/configuration/resources/primitive[@id='X']": each step named, with its id when it has one.</summary>
    public static string PathOf(XElement e)
    {
        var steps = e.AncestorsAndSelf().Reverse()
            .Select(x => (string?)x.Attribute("id") is { } id ? $"{x.Name.LocalName}[@id='{id}']" : x.Name.LocalName);
        return "/" + string.Join('/', steps);
    }

    // ---- changes -----------------------------------------------------------------------

    private static CibReply? Create(XElement cib, CibRequest request)
    {
        var input = request.Data!;
        var section = NormalizedSection(request.Scope, input);
        if (request.XPath is not null)
        {
            var parent = Select(cib, request.XPath).FirstOrDefault();
            if (parent is null) return CibErrors.Reply(CibResultCode.NotFound);
            return AddChildren(parent, input, section: null);
        }
        // Without a section Pacemaker treats create as modify (so an unknown object is "not found").
        if (section is null) return Modify(cib, request with { Command = CibCommand.Modify });
        var root = SectionRoot(cib, section, create: true);
        if (root is null) return CibErrors.Reply(CibResultCode.NotFound);
        return AddChildren(root, input, section);
    }

    private static CibReply? AddChildren(XElement parent, XElement input, string? section)
    {
        var objects = section is not null && input.Name.LocalName == section ? input.Elements().ToList() : [input];
        foreach (var obj in objects)
        {
            var id = (string?)obj.Attribute("id");
            var exists = parent.Elements().Any(c => c.Name == obj.Name && (string?)c.Attribute("id") == id);
            if (exists)
            {
                var failed = new XElement("failed",
                    new XElement("failed_update",
                        id is null ? null : new XAttribute("id", id),
                        new XAttribute("object_type", obj.Name.LocalName),
                        new XAttribute("operation", "cib_create"),
                        new XAttribute("reason", CibErrors.Exists),
                        new XElement(obj)));
                return new CibReply(CibResultCode.Exists, failed, CibErrors.Exists);
            }
            parent.Add(new XElement(obj));
        }
        return null;
    }

    private static CibReply? Modify(XElement cib, CibRequest request)
    {
        var input = request.Data!;
        XElement? root;
        if (request.XPath is not null)
        {
            var matches = Select(cib, request.XPath);
            if (matches.Count == 0) return CibErrors.Reply(CibResultCode.NotFound);
            root = matches[0];
        }
        else
        {
            root = SectionRoot(cib, NormalizedSection(request.Scope, input), create: true);
            if (root is null) return CibErrors.Reply(CibResultCode.SoftwareError);
        }
        var target = FindMatch(root, input, includeSelf: true, allAttributes: false);
        if (target is not null) Merge(target, input);
        else if (request.Options.HasFlag(CibCallOptions.AllowCreate)) root.Add(Expanded(input));
        else return CibErrors.Reply(CibResultCode.NotFound);
        return null;
    }

    private static CibReply? Replace(ref XElement cib, CibRequest request)
    {
        var input = request.Data!;
        if (request.XPath is not null)
        {
            var matches = Select(cib, request.XPath);
            if (matches.Count == 0) return CibErrors.Reply(CibResultCode.NotFound);
            if (matches[0].Parent is null) return Replace(ref cib, request with { XPath = null });
            matches[0].ReplaceWith(new XElement(input));
            return null;
        }
        if (input.Name.LocalName == "cib")
        {
            // A whole-CIB replace must not take the cluster back to an older version.
            if (VersionOf(input) < VersionOf(cib)) return CibErrors.Reply(CibResultCode.Old);
            cib = Attach(new XElement(input));
            return null;
        }
        var root = SectionRoot(cib, NormalizedSection(request.Scope, input));
        if (root is null) return CibErrors.Reply(CibResultCode.NotFound);
        var target = FindMatch(root, input, includeSelf: true, allAttributes: false);
        if (target is null) return CibErrors.Reply(CibResultCode.NotFound);
        if (target.Parent is null) return CibErrors.Reply(CibResultCode.SoftwareError);
        target.ReplaceWith(new XElement(input));
        return null;
    }

    private static CibReply? Delete(XElement cib, CibRequest request)
    {
        if (request.XPath is not null)
        {
            // An xpath that matches nothing deletes nothing and succeeds, as in 2.1.5.
            var matches = Select(cib, request.XPath).Where(m => m.Parent is not null).ToList();
            foreach (var m in request.Options.HasFlag(CibCallOptions.Multiple) ? matches : matches.Take(1)) m.Remove();
            return null;
        }
        var input = request.Data!;
        var section = NormalizedSection(request.Scope, input);
        var root = SectionRoot(cib, section);
        if (root is null) return null;
        var objects = section is not null && input.Name.LocalName == section ? input.Elements().ToList() : [input];
        foreach (var obj in objects)
        {
            // Delete matches on name, id and every attribute given; no match is not an error.
            var target = FindMatch(root, obj, includeSelf: root.Parent is not null, allAttributes: true);
            target?.Remove();
        }
        return null;
    }

    private static CibReply? Erase(ref XElement cib)
    {
        var fresh = Empty();
        foreach (var a in cib.Attributes()) fresh.SetAttributeValue(a.Name, a.Value);
        // admin_epoch moves up so that no copy from before the erase can win.
        fresh.SetAttributeValue("admin_epoch", (Number(cib, "admin_epoch") + 1).ToString(CultureInfo.InvariantCulture));
        cib = Attach(fresh);
        return null;
    }

    private static CibReply? Upgrade(XElement cib)
    {
        var schema = (string?)cib.Attribute("validate-with");
        if (schema != LatestSchema) cib.SetAttributeValue("validate-with", LatestSchema);
        return null;
    }

    private static CibReply? Bump(XElement cib)
    {
        cib.SetAttributeValue("epoch", (Number(cib, "epoch") + 1).ToString(CultureInfo.InvariantCulture));
        return null;
    }

    // ---- versions and validation -------------------------------------------------------

    private static CibOutcome Finish(XElement before, XElement after, CibRequest request)
    {
        if (XNode.DeepEquals(before, after))
            return new CibOutcome(CibReply.Success() with { Version = VersionOf(before).ToString() }, null);
        var configChanged = ConfigChanged(before, after);
        if (!request.Options.HasFlag(CibCallOptions.NoVersionBump))
        {
            var v = VersionOf(after);
            v = configChanged ? v.BumpEpoch() : v.BumpUpdates();
            SetVersion(after, v);
        }
        if (VersionOf(after) < VersionOf(before))
            return Refuse(CibResultCode.Old);
        // Validation reads only the configuration and the non-bookkeeping root attributes, so a
        // status-only change to a CIB that was valid is valid: skip the work (every resource
        // result and attribute write is such a change).
        if (configChanged || !KnownValid.TryGetValue(before, out _))
        {
            var errors = Validate(after);
            if (errors.Count > 0)
                return new CibOutcome(CibErrors.Reply(CibResultCode.ConfigInvalid) with { Details = errors }, null);
        }
        KnownValid.AddOrUpdate(after, ValidMark);
        return new CibOutcome(CibReply.Success() with { Version = VersionOf(after).ToString() }, after) { ConfigChanged = configChanged };
    }

    // CIB elements this class produced after validating them; weak, so dropped CIBs are not kept alive.
    private static readonly ConditionalWeakTable<XElement, object> KnownValid = new();
    private static readonly object ValidMark = new();

    /// <summary>What is wrong with a CIB, one line per problem naming element, id and line; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(XElement cib)
    {
        if (cib.Name.LocalName != "cib") return [$"<{cib.Name.LocalName}>: the document element must be <cib>"];
        if ((string?)cib.Attribute("validate-with") == "none") return [];
        try
        {
            var doc = CibDocument.ConfigurationOf(cib);
            return [.. CibVerifier.Validate(doc).Select(e => e.ToString())];
        }
        catch (CibParseException e)
        {
            return e.Errors.Count > 0 ? [.. e.Errors.Select(x => x.ToString())] : [e.Message];
        }
    }

    /// <summary>True when anything but &lt;status&gt; and the bookkeeping root attributes differs.</summary>
    public static bool ConfigChanged(XElement before, XElement after)
    {
        if (!RootAttributesEqual(before, after)) return true;
        var ca = before.Elements().Where(e => e.Name.LocalName != "status").ToList();
        var cb = after.Elements().Where(e => e.Name.LocalName != "status").ToList();
        if (ca.Count != cb.Count) return true;
        for (int i = 0; i < ca.Count; i++)
            if (!XNode.DeepEquals(ca[i], cb[i])) return true;
        return false;
    }

    private static bool RootAttributesEqual(XElement before, XElement after)
    {
        static Dictionary<string, string> Of(XElement e) => e.Attributes()
            .Where(x => !BookkeepingAttributes.Contains(x.Name.LocalName))
            .ToDictionary(x => x.Name.LocalName, x => x.Value, StringComparer.Ordinal);
        var a = Of(before);
        var b = Of(after);
        return a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var v) && v == kv.Value);
    }

    public static void SetVersion(XElement cib, CibVersion v)
    {
        cib.SetAttributeValue("admin_epoch", v.AdminEpoch.ToString(CultureInfo.InvariantCulture));
        cib.SetAttributeValue("epoch", v.Epoch.ToString(CultureInfo.InvariantCulture));
        cib.SetAttributeValue("num_updates", v.NumUpdates.ToString(CultureInfo.InvariantCulture));
    }

    // ---- helpers -----------------------------------------------------------------------

    // Scope "cib"/"all", or an input that is the whole <cib>, mean no section.
    private static string? NormalizedSection(string? scope, XElement input) =>
        scope is null or "cib" or "all" || input.Name.LocalName == "cib" ? null : scope;

    /// <summary>
    /// The element a scope names: null/cib/all = the root; configuration, status; a configuration
    /// section. An unknown scope name means the root (as 2.1.5 answers); a known section that does
    /// not exist is null, or created empty when <paramref name="create"/>.
    /// </summary>
    private static XElement? SectionRoot(XElement cib, string? scope, bool create = false)
    {
        switch (scope)
        {
            case null or "cib" or "all":
                return cib;
            case "configuration" or "status":
                return cib.Element(scope) ?? (create ? AddChild(cib, scope) : null);
        }
        if (!ConfigSections.Contains(scope)) return cib;
        var config = cib.Element("configuration");
        if (config is null)
        {
            if (!create) return null;
            config = AddChild(cib, "configuration");
        }
        return config.Element(scope) ?? (create ? AddChild(config, scope) : null);
    }

    private static XElement AddChild(XElement parent, string name)
    {
        var e = new XElement(name);
        parent.Add(e);
        return e;
    }

    /// <summary>
    /// The first element (document order) under <paramref name="root"/> with the input's name and
    /// id (both absent counts as equal); for delete every attribute the input gives must match too.
    /// </summary>
    private static XElement? FindMatch(XElement root, XElement input, bool includeSelf, bool allAttributes)
    {
        var id = (string?)input.Attribute("id");
        var candidates = includeSelf ? root.DescendantsAndSelf(input.Name) : root.Descendants(input.Name);
        foreach (var e in candidates)
        {
            if ((string?)e.Attribute("id") != id) continue;
            if (allAttributes && input.Attributes().Any(a => (string?)e.Attribute(a.Name) != a.Value)) continue;
            return e;
        }
        return null;
    }

    /// <summary>Pacemaker's merge: attributes copied over (with "name++" / "name+=N" counters), children matched by name and id, merged or added.</summary>
    private static void Merge(XElement target, XElement update)
    {
        foreach (var a in update.Attributes())
            target.SetAttributeValue(a.Name, Expand(target, a));
        foreach (var child in update.Elements())
        {
            var id = (string?)child.Attribute("id");
            var match = target.Elements(child.Name).FirstOrDefault(c => id is null || (string?)c.Attribute("id") == id);
            if (match is null) target.Add(Expanded(child));
            else Merge(match, child);
        }
    }

    // A new element's counters start from 0 (value="value++" creates value="1"), as in Pacemaker.
    private static XElement Expanded(XElement e)
    {
        var copy = new XElement(e.Name);
        foreach (var a in e.Attributes()) copy.SetAttributeValue(a.Name, Expand(copy, a));
        foreach (var n in e.Nodes()) copy.Add(n is XElement c ? Expanded(c) : n);
        return copy;
    }

    // value="epoch++" or value="epoch+=5" on attribute epoch increments the current number.
    private static string Expand(XElement target, XAttribute a)
    {
        var name = a.Name.LocalName;
        var v = a.Value;
        if (!v.StartsWith(name, StringComparison.Ordinal)) return v;
        var rest = v[name.Length..];
        long step;
        if (rest == "++") step = 1;
        else if (rest.StartsWith("+=", StringComparison.Ordinal) && long.TryParse(rest[2..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)) step = n;
        else return v;
        long.TryParse((string?)target.Attribute(a.Name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var current);
        return (current + step).ToString(CultureInfo.InvariantCulture);
    }

    private static long Number(XElement cib, string name) =>
        long.TryParse((string?)cib.Attribute(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    // XPath '/cib/...' needs a document node above the root element.
    private static XElement Attach(XElement root)
    {
        if (root.Parent is null && root.Document is null) _ = new XDocument(root);
        return root;
    }
}
