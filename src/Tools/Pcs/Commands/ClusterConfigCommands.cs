using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;
using Cluster.Tools.Crm.Access;
using Cluster.Tools.Pcs.Declarative;

namespace Cluster.Tools.Pcs.Commands;

/// <summary>
/// The declarative cluster file (not in pcs 0.11.5): <c>pcs cluster config export --yaml [FILE]</c>
/// writes the configuration as <see cref="ClusterYaml"/>; <c>pcs cluster config apply FILE
/// [--dry-run]</c> shows what differs from the cluster, line by line in the file's terms, and
/// applies it as one replace of the CIB's configuration (the nodes section kept).
/// </summary>
public static class ClusterConfigCommands
{
    public static PcsCommand Export { get; } = Pcs.Command("cluster config export", "cluster config export --yaml [<filename>]", inv =>
    {
        if (!inv.Options.Has("--yaml")) return inv.Usage("usage: pcs cluster config export --yaml [<filename>] (YAML is the one format here)");
        if (inv.Args.Count > 1) return inv.Usage("usage: pcs cluster config export --yaml [<filename>]");
        return Session(inv, (_, root) =>
        {
            var text = ClusterYaml.Export(root);
            if (inv.Args.Count == 0)
            {
                inv.Out.Write(text);
                return 0;
            }
            try
            {
                File.WriteAllText(inv.Args[0], text, new System.Text.UTF8Encoding(false));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return inv.Usage($"Unable to write to file '{inv.Args[0]}', {e.Message}");
            }
            return 0;
        });
    });

    public static PcsCommand Apply { get; } = Pcs.Command("cluster config apply", "cluster config apply <filename> [--dry-run]", inv =>
    {
        if (inv.Args.Count != 1) return inv.Usage("usage: pcs cluster config apply <filename> [--dry-run]");
        var file = inv.Args[0];
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return inv.Usage($"Unable to read {file}: {e.Message}");
        }
        return Session(inv, (client, root) =>
        {
            var (config, error) = ClusterYaml.Import(text, file, root);
            if (config is null) return inv.Usage(error!);
            var updated = new XElement(root);
            updated.Element("configuration")?.Remove();
            updated.AddFirst(config);
            // The cluster would refuse what the schema refuses: say so before anything changes.
            var invalid = CibVerifier.SchemaMessages(CibDocument.FromElement(updated), file);
            if (invalid.Count > 0) return inv.FailAll(invalid);
            var changes = ClusterYaml.Difference(ClusterYaml.Export(root), ClusterYaml.Export(updated));
            if (changes.Count == 0)
            {
                inv.Out.WriteLine($"No changes: the cluster's configuration already is {file}");
                return 0;
            }
            inv.Out.WriteLine($"--- cluster");
            inv.Out.WriteLine($"+++ {file}");
            foreach (var line in changes) inv.Out.WriteLine(line);
            if (inv.Options.Has("--dry-run"))
            {
                inv.Out.WriteLine("Dry run: nothing was changed");
                return 0;
            }
            var reply = client is FileCibClient
                ? client.Execute(new CibRequest(CibCommand.Replace, Data: updated))
                : client.Execute(new CibRequest(CibCommand.Replace, "configuration", Data: config));
            if (!reply.Ok) return inv.Usage($"Unable to update cib\n{reply.Error}");
            inv.Out.WriteLine($"Applied {file}");
            return 0;
        });
    });

    private static int Session(PcsInvocation inv, Func<ICibClient, XElement, int> body)
    {
        var (client, error) = CibConnection.Open(inv.Context, inv.Options.CibFile);
        if (client is null) return inv.Usage($"unable to get cib: {error}");
        using (client)
        {
            var (root, reply) = CibConnection.Query(client);
            return root is null ? inv.Usage($"unable to get cib: {reply.Error}") : body(client, root);
        }
    }
}
