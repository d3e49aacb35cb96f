using System.Xml.Linq;
using Cluster.Crm.CibClient;
using Cluster.Tools.Crm.Access;
using Cluster.Tools.Dispatch;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Crm;

/// <summary>
/// crm_attribute: query, set or delete a cluster option (crm_config), a permanent node attribute
/// (nodes, -N), a transient one (status, -l reboot) or a resource/operation default, through the
/// CIB client. Messages and exit codes of Pacemaker 2.1.5.
/// </summary>
public static class CrmAttributeTool
{
    public static readonly ToolEntry Entry = new("crm_attribute", "Query, set or delete a cluster option or node attribute", Run);

    /// <summary>The parsed command line (apart from running it, for the shared option parser).</summary>
    public sealed record Options(string? Name, string? Value, bool Get, bool Delete, bool Quiet, string? Node, string? Type, string? Lifetime, string? SetId);

    public static (Options? Options, string? Error) Parse(string[] args)
    {
        string? name = null, value = null, node = null, type = null, lifetime = null, setId = null;
        bool get = false, delete = false, quiet = false;
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            string? inline = null;
            if (a.StartsWith("--", StringComparison.Ordinal) && a.IndexOf('=') is var eq and > 0) { inline = a[(eq + 1)..]; a = a[..eq]; }
            string Next() => inline ?? (i + 1 < args.Length ? args[++i] : throw new ArgumentException($"option {a} requires an argument"));
            switch (a)
            {
                case "-n" or "--name": name = Next(); break;
                case "-v" or "--update" or "--attr-value": value = Next(); break;
                case "-G" or "--query": get = true; break;
                case "-D" or "--delete": delete = true; break;
                case "-q" or "--quiet": quiet = true; break;
                case "-N" or "--node": node = Next(); break;
                case "-t" or "--type" or "--scope": type = Next(); break;
                case "-l" or "--lifetime": lifetime = Next(); break;
                case "-s" or "--set-name": setId = Next(); break;
                case "-V" or "--verbose": break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        if (name is null) return (null, "Error: you must specify a name with -n");
        if (lifetime is not null and not ("forever" or "reboot")) return (null, $"Error: invalid lifetime '{lifetime}' (forever, reboot)");
        // -N without -t means a node attribute; "-l reboot" puts it in the status section.
        type ??= node is not null ? (lifetime == "reboot" ? "status" : "nodes") : "crm_config";
        if (type == "nodes" && lifetime == "reboot") type = "status";
        if (type is not ("crm_config" or "nodes" or "status" or "rsc_defaults" or "op_defaults"))
            return (null, $"Error: invalid type '{type}' (crm_config, nodes, status, rsc_defaults, op_defaults)");
        if (type is "nodes" or "status" && node is null) return (null, "Error: a node attribute needs -N NODE");
        return (new Options(name, value, get || (value is null && !delete), delete, quiet, node, type, lifetime, setId), null);
    }

    public static Task<int> Run(ToolContext ctx, string[] args)
    {
        Options? o;
        string? error;
        try { (o, error) = Parse(args); }
        catch (ArgumentException e) { (o, error) = (null, e.Message); }
        if (o is null)
        {
            ctx.Err.WriteLine($"crm_attribute: {error}");
            return Task.FromResult(64);
        }
        var (client, openError) = CibConnection.Open(ctx, clientName: "crm_attribute");
        if (client is null)
        {
            ctx.Err.WriteLine($"crm_attribute: Error: {openError}");
            return Task.FromResult(102);
        }
        using (client)
        {
            var (root, reply) = CibConnection.Query(client);
            if (root is null)
            {
                ctx.Err.WriteLine($"crm_attribute: Error: {reply.Error}");
                return Task.FromResult((int)reply.Code);
            }
            var cib = new PcsCib(new XElement(root));
            var (owner, setId, setElement) = Locate(cib, o, create: o.Value is not null);
            if (o.Node is not null && owner is null && setId is null)
            {
                ctx.Err.WriteLine($"crm_attribute: Could not map name={o.Node} to a UUID");
                return Task.FromResult(105);
            }
            if (o.Get)
            {
                var v = owner is null ? null : NvSetEditor.Get(owner, setElement, o.Name!);
                if (v is null)
                {
                    ctx.Err.WriteLine("crm_attribute: Error performing operation: No such device or address");
                    return Task.FromResult(105);
                }
                ctx.Out.WriteLine(o.Quiet ? v : $"scope={o.Type}  name={o.Name} value={v}");
                return Task.FromResult(0);
            }
            if (o.Delete)
            {
                var pair = owner?.Elements(setElement).SelectMany(s => s.Elements("nvpair")).FirstOrDefault(p => (string?)p.Attribute("name") == o.Name);
                if (pair is null) return Task.FromResult(0);
                ctx.Out.WriteLine(o.Type == "crm_config" ? $"Deleted crm_config option: id={(string?)pair.Attribute("id")} name={o.Name}"
                    : $"Deleted {o.Type} attribute: id={(string?)pair.Attribute("id")} name={o.Name}");
                pair.Remove();
            }
            else
            {
                var set = owner!.Elements(setElement).FirstOrDefault(s => o.SetId is null || (string?)s.Attribute("id") == o.SetId)
                          ?? NvSetEditor.GetOrAdd(cib, owner, setElement, o.SetId ?? setId!);
                NvSetEditor.Set(cib, set, o.Name!, o.Value!);
            }
            var saved = CibPatch.Save(client, client is not FileCibClient, root, cib.Root);
            if (!saved.Ok)
            {
                ctx.Err.WriteLine($"crm_attribute: Error performing operation: {saved.Error}");
                return Task.FromResult((int)saved.Code);
            }
            return Task.FromResult(0);
        }
    }

    /// <summary>The element holding the sets, the id a new set gets, and the sets' element name.</summary>
    private static (XElement? Owner, string? NewSetId, string SetElement) Locate(PcsCib cib, Options o, bool create)
    {
        switch (o.Type)
        {
            case "crm_config":
                return (create ? cib.Section("crm_config") : cib.FindSection("crm_config"), "cib-bootstrap-options", "cluster_property_set");
            case "rsc_defaults" or "op_defaults":
                return (create ? cib.Section(o.Type) : cib.FindSection(o.Type), $"{o.Type}-options", "meta_attributes");
        }
        var node = cib.FindSection("nodes")?.Elements("node").FirstOrDefault(n => (string?)n.Attribute("uname") == o.Node);
        if (node is null) return (null, null, "");
        var id = (string?)node.Attribute("id") ?? o.Node!;
        if (o.Type == "nodes") return (node, $"nodes-{id}", "instance_attributes");
        // Transient attributes live in the node's status entry (written by attrd on a live cluster).
        var status = cib.Root.Element("status") ?? new XElement("status");
        if (status.Parent is null && create) cib.Root.Add(status);
        var state = status.Elements("node_state").FirstOrDefault(s => (string?)s.Attribute("id") == id);
        if (state is null && create) status.Add(state = new XElement("node_state", new XAttribute("id", id), new XAttribute("uname", o.Node!)));
        var transient = state?.Element("transient_attributes");
        if (transient is null && state is not null && create) state.Add(transient = new XElement("transient_attributes", new XAttribute("id", id)));
        return (transient, $"status-{id}", "instance_attributes");
    }
}
