using Cluster.Crm.CibClient;
using Cluster.Tools.Crm.Access;

namespace Cluster.Tools.Pcs.Editing;

/// <summary>
/// The shell around <see cref="PcsCib"/>: reads the CIB through the CIB client at the start of a
/// command and, when the command succeeded, replaces it in one request (so a refused command
/// leaves the CIB unchanged).
/// </summary>
public static class PcsCibSession
{
    /// <summary>Runs a read-only command on the CIB.</summary>
    public static int Read(PcsInvocation inv, Func<PcsCib, int> show) => Run(inv, show, write: false);

    /// <summary>Runs a changing command; the CIB is written only when it returns 0.</summary>
    public static int Edit(PcsInvocation inv, Func<PcsCib, int> edit) => Run(inv, edit, write: true);

    private static int Run(PcsInvocation inv, Func<PcsCib, int> body, bool write)
    {
        var file = inv.Options.CibFile;
        if (file is not null && !File.Exists(file))
        {
            // pcs starts a new file from an empty CIB.
            try
            {
                CibText.Write(file, PcsCib.Empty());
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return inv.Usage($"Unable to write to file: {file}");
            }
        }
        var (client, error) = CibConnection.Open(inv.Context, file);
        if (client is null)
            return inv.Usage($"unable to get cib: {error}");
        using (client)
        {
            var (root, reply) = CibConnection.Query(client);
            if (root is null)
                return inv.Usage($"unable to get cib: {reply.Error}");
            var cib = new PcsCib(new System.Xml.Linq.XElement(root));
            var code = body(cib);
            if (code != 0 || !write)
                return code;
            var saved = CibPatch.Save(client, client is not FileCibClient, root, cib.Root);
            if (saved.Code == CibResultCode.ConfigInvalid)
            {
                inv.Err.Write(SchemaRefusal(root, cib.Root));
                return 1;
            }
            if (!saved.Ok)
                return inv.Usage($"Unable to update cib\n{saved.Error}");
            return 0;
        }
    }

    /// <summary>
    /// What pcs prints when the CIB refuses its update as invalid (cibadmin's report): the CIB it
    /// tried to write, epoch one up, numbered line by line, then the refusal.
    /// </summary>
    internal static string SchemaRefusal(System.Xml.Linq.XElement original, System.Xml.Linq.XElement modified)
    {
        var attempted = new System.Xml.Linq.XElement(modified);
        var epoch = long.TryParse((string?)original.Attribute("epoch"), out var e) ? e : 0;
        attempted.SetAttributeValue("epoch", (epoch + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        attempted.SetAttributeValue("num_updates", "0");
        var text = new System.Text.StringBuilder("Error: Unable to update cib\n");
        var lines = Cluster.Crm.Cib.CibXmlText.Format(attempted).Split('\n');
        for (var i = 0; i < lines.Length; i++)
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i + 1,4} {lines[i]}\n");
        text.Append("Call failed: ").Append(CibErrors.SchemaViolation).Append("\n\n");
        return text.ToString();
    }
}
