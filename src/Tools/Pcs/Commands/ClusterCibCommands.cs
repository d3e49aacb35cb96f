using System.Xml;
using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;
using Cluster.Tools.Crm.Access;
using Cluster.Tools.Pcs.Editing;

namespace Cluster.Tools.Pcs.Commands;

/// <summary><c>pcs cluster cib [FILE]</c>, <c>cib-push FILE [--config]</c>, <c>verify</c>.</summary>
public static class ClusterCibCommands
{
    public static PcsCommand Cib { get; } = Pcs.Command("cluster cib", "cluster cib [<filename>] [scope=<scope> | --config]", inv =>
    {
        var file = inv.Args.FirstOrDefault(a => !a.Contains('='));
        var scope = inv.Args.FirstOrDefault(a => a.StartsWith("scope=", StringComparison.Ordinal))?["scope=".Length..];
        if (inv.Options.Has("--config")) scope = "configuration";
        return PcsCibSession.Read(inv, cib =>
        {
            var element = scope is null ? cib.Root : cib.Root.DescendantsAndSelf(scope).FirstOrDefault();
            if (element is null) return inv.Usage($"unable to get cib, scope '{scope}' not present in cib");
            var text = Text(element);
            if (file is null)
            {
                inv.Out.WriteLine(text);
                return 0;
            }
            try
            {
                File.WriteAllText(file, text, new System.Text.UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return inv.Usage($"Unable to write to file '{file}', {e.Message}");
            }
            return 0;
        });
    });

    public static string Text(XElement element) => CibText.Format(element);

    public static PcsCommand Push { get; } = Pcs.Command("cluster cib-push", "cluster cib-push <filename> [--config]", inv =>
    {
        if (inv.Args.Count < 1) return inv.Usage("usage: pcs cluster cib-push <filename> [scope=<scope> | --config]");
        XElement pushed;
        try
        {
            pushed = XElement.Load(inv.Args[0], LoadOptions.SetLineInfo);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or XmlException)
        {
            return inv.Usage($"unable to parse new cib: {inv.Args[0]}: {e.Message}");
        }
        if (pushed.Name.LocalName != "cib") return inv.Usage($"unable to parse new cib: {inv.Args[0]}: the document element must be <cib>");
        // Refuse a CIB the cluster would reject, naming the element, before anything changes.
        var errors = CibVerifier.SchemaMessages(CibDocument.FromElement(pushed), inv.Args[0]);
        if (errors.Count > 0)
            return inv.FailAll(errors);
        return PcsCibSession.Edit(inv, cib =>
        {
            if (inv.Options.Has("--config"))
            {
                var config = pushed.Element("configuration");
                if (config is null) return inv.Usage("unable to parse new cib: no configuration section");
                cib.Configuration.ReplaceWith(new XElement(config));
            }
            else
            {
                cib.Root.ReplaceAll(pushed.Attributes().Where(a => a.Name.LocalName is not ("epoch" or "num_updates" or "admin_epoch")),
                    cib.Root.Attributes().Where(a => a.Name.LocalName is "epoch" or "num_updates" or "admin_epoch"),
                    pushed.Elements().Select(e => new XElement(e)));
            }
            inv.Out.WriteLine("CIB updated");
            return 0;
        });
    });

    public static PcsCommand Verify { get; } = Pcs.Command("cluster verify", "cluster verify [-V] [<filename>]", inv =>
        PcsCibSession.Read(inv, cib => Tools.Crm.CrmVerifyTool.Report(inv.Context, CibDocument.FromElement(cib.Root), inv.Args.Contains("-V") ? 1 : 0, null)));
}
