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
            if (!saved.Ok)
                return inv.Usage($"Unable to update cib\n{saved.Error}");
            return 0;
        }
    }
}
