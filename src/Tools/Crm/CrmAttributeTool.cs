using System.Xml.Linq;
using Cluster.Crm.Attributes;
using Cluster.Crm.CibClient;
using Cluster.Tools.CommandLine;
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

    /// <summary>crm_attribute 2.1.5's command line, its hidden deprecated aliases included.</summary>
    public static GlibOptions Parser { get; } = new("crm_attribute", "crm_attribute - query and update Pacemaker cluster options and node attributes",
    [
        new("quiet", 'q', GlibValue.None, "Print only the value on stdout"),
        new("output-as", null, GlibValue.Required, "Specify output format as one of: text (default), xml", "FORMAT", "output"),
        new("output-to", null, GlibValue.Required, "Specify file name for output (or \"-\" for stdout)", "DEST", "output"),
        new("text-fancy", null, GlibValue.None, "Use more highly formatted output (requires --output-as=text)", Group: "output"),
        new("id", 'i', GlibValue.Required, "(Advanced) Operate on instance of specified attribute with this\nXML ID", "XML_ID", "selections"),
        new("name", 'n', GlibValue.Required, "Operate on attribute or option with this name.  For queries, this\n"
            + "is optional, in which case all matching attributes will be\nreturned.", "NAME", "selections"),
        new("pattern", 'P', GlibValue.Required, "Operate on all attributes matching this pattern\n(with -G, or with -v/-D and -l reboot)", "PATTERN", "selections"),
        new("promotion", 'p', GlibValue.Optional, "Operate on node attribute used as promotion score for specified\n"
            + "resource, or resource given in OCF_RESOURCE_INSTANCE environment\nvariable if none is specified; this also defaults -l/--lifetime\n"
            + "to reboot (normally invoked from an OCF resource agent)", "RESOURCE", "selections"),
        new("set-name", 's', GlibValue.Required, "(Advanced) Operate on instance of specified attribute that is\nwithin set with this XML ID", "NAME", "selections"),
        new("delete", 'D', GlibValue.None, "Delete the attribute/option", Group: "command"),
        new("query", 'G', GlibValue.None, "Query the current value of the attribute/option.\nSee also: -n, -P", Group: "command"),
        new("update", 'v', GlibValue.Required, "Update the value of the attribute/option", "VALUE", "command"),
        new("default", 'd', GlibValue.Required, "(Advanced) Default value to display if none is found in configuration", "VALUE", "additional"),
        new("lifetime", 'l', GlibValue.Required, "Lifetime of the node attribute.\nValid values: reboot, forever", "LIFETIME", "additional"),
        new("node", 'N', GlibValue.Required, "Set a node attribute for named node (instead of a cluster option).\nSee also: -l", "NODE", "additional"),
        new("type", 't', GlibValue.Required, "Which part of the configuration to update/delete/query the option in.\n"
            + "Valid values: crm_config, rsc_defaults, op_defaults, tickets", "SECTION", "additional"),
        new("utilization", 'z', GlibValue.None, "Set an utilization attribute for the node.", Group: "additional"),
        // Deprecated spellings 2.1.5 still accepts without listing them.
        new("quiet", 'Q', GlibValue.None, "", Group: "deprecated", Hidden: true),
        new("attr-id", null, GlibValue.Required, "", Group: "deprecated", Hidden: true),
        new("attr-name", null, GlibValue.Required, "", Group: "deprecated", Hidden: true),
        new("attr-value", null, GlibValue.Required, "", Group: "deprecated", Hidden: true),
        new("delete-attr", null, GlibValue.None, "", Group: "deprecated", Hidden: true),
        new("get-value", null, GlibValue.None, "", Group: "deprecated", Hidden: true),
        new("node-uname", 'U', GlibValue.Required, "", Group: "deprecated", Hidden: true),
        new("inhibit-policy-engine", '!', GlibValue.None, "", Group: "deprecated", Hidden: true),
    ],
    [
        new("output", "Output Options:", "Show output help"),
        new("selections", "Selecting attributes:", "Show selecting options"),
        new("command", "Commands:", "Show command options"),
        new("additional", "Additional options:", "Show additional options"),
        new("deprecated", "Deprecated Options:", "Show deprecated options", Hidden: true),
    ],
    epilogue: """
        Examples:

        Add new node attribute called 'location' with the value of 'office' for host 'myhost':

        	crm_attribute --node myhost --name location --update office

        Query the value of the 'location' node attribute for host 'myhost':

        	crm_attribute --node myhost --name location --query

        Change the value of the 'location' node attribute for host 'myhost':

        	crm_attribute --node myhost --name location --update backoffice

        Delete the 'location' node attribute for host 'myhost':

        	crm_attribute --node myhost --name location --delete

        Query the value of the 'cluster-delay' cluster option:

        	crm_attribute --type crm_config --name cluster-delay --query

        Query value of the 'cluster-delay' cluster option and print only the value:

        	crm_attribute --type crm_config --name cluster-delay --query --quiet
        """ + "\n\n\n");

    /// <summary>Options 2.1.5 has that this implementation refuses rather than ignores.</summary>
    private static readonly string[] Unsupported = ["id", "attr-id", "pattern", "promotion", "default", "utilization", "output-to"];

    /// <summary>The last value given under any of <paramref name="names"/> (a deprecated alias counts as the option).</summary>
    private static string? Last(GlibArguments parsed, params string[] names) =>
        parsed.Given.LastOrDefault(g => names.Contains(g.Option.Long)).Value;

    /// <summary>The options from a parsed command line, or why they cannot run.</summary>
    public static (Options? Options, string? Error) From(GlibArguments parsed)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        if (parsed.Given.FirstOrDefault(g => Unsupported.Contains(g.Option.Long)).Option is { } refused)
            return (null, $"--{refused.Long} is not supported by this implementation");
        if (parsed.Value("output-as") is { } format && format != "text")
            return (null, $"--output-as={format} is not supported by this implementation (text only)");
        var name = Last(parsed, "name", "attr-name");
        var value = Last(parsed, "update", "attr-value");
        var node = Last(parsed, "node", "node-uname");
        var type = parsed.Value("type");
        var lifetime = parsed.Value("lifetime");
        var setId = parsed.Value("set-name");
        var get = parsed.Has("query") || parsed.Has("get-value");
        var delete = parsed.Has("delete") || parsed.Has("delete-attr");
        var quiet = parsed.Has("quiet");
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

    public static async Task<int> Run(ToolContext ctx, string[] args)
    {
        if (!Parser.TryParse(ctx, args, out var parsed, out var exit))
            return exit;
        var (o, error) = From(parsed);
        if (o is null)
        {
            ctx.Err.WriteLine($"crm_attribute: {error}");
            return 64;
        }
        var (client, openError) = CibConnection.Open(ctx, clientName: "crm_attribute");
        if (client is null)
        {
            ctx.Err.WriteLine($"crm_attribute: Error: {openError}");
            return 102;
        }
        using (client)
        {
            var (root, reply) = CibConnection.Query(client);
            if (root is null)
            {
                ctx.Err.WriteLine($"crm_attribute: Error: {reply.Error}");
                return (int)reply.Code;
            }
            var cib = new PcsCib(new XElement(root));
            var (owner, setId, setElement) = Locate(cib, o, create: o.Value is not null);
            if (o.Node is not null && owner is null && setId is null)
            {
                ctx.Err.WriteLine($"crm_attribute: Could not map name={o.Node} to a UUID");
                return 105;
            }
            if (o.Type == "status" && !o.Get && client is not FileCibClient)
                return await ThroughAttrdAsync(ctx, o).ConfigureAwait(false);
            if (o.Get)
            {
                var v = owner is null ? null : NvSetEditor.Get(owner, setElement, o.Name!);
                if (v is null)
                {
                    ctx.Err.WriteLine("crm_attribute: Error performing operation: No such device or address");
                    return 105;
                }
                ctx.Out.WriteLine(o.Quiet ? v : $"scope={o.Type}  name={o.Name} value={v}");
                return 0;
            }
            if (o.Delete)
            {
                var pair = owner?.Elements(setElement).SelectMany(s => s.Elements("nvpair")).FirstOrDefault(p => (string?)p.Attribute("name") == o.Name);
                if (pair is null) return 0;
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
                return (int)saved.Code;
            }
            return 0;
        }
    }

    /// <summary>
    /// A transient attribute on a live cluster goes through attrd, as 2.1.5's crm_attribute does:
    /// the cluster agrees on it and the attrd writer puts it in the status section. A deletion of
    /// an attribute attrd does not hold is not an error (there is nothing to remove).
    /// </summary>
    private static async Task<int> ThroughAttrdAsync(ToolContext ctx, Options o)
    {
        var request = new AttributeWireRequest(1, o.Delete ? AttributeClientCommand.Delete : AttributeClientCommand.Update, o.Name, o.Node, o.Value);
        try
        {
            var reply = await AttributeSocketClient.CallAsync(AttributeClientWire.SocketPath(ctx.Paths), request).ConfigureAwait(false);
            if (reply.Error is null)
                return 0;
            ctx.Err.WriteLine($"crm_attribute: Error performing operation: {reply.Error}");
            return 1;
        }
        catch (AttributeConnectionException e)
        {
            ctx.Err.WriteLine($"crm_attribute: Could not update {o.Name}={o.Value ?? "(null)"}: {e.Reason} ({e.Errno})");
            return 102;
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
