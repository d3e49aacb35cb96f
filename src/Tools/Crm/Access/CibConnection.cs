using Cluster.Crm.CibClient;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm.Access;

/// <summary>
/// Where a CIB tool's client comes from: a file (pcs -f FILE, CIB_file=FILE) or the live CIB
/// manager. The one place to switch when the live socket client lands.
/// </summary>
public static class CibConnection
{
    /// <summary>The client for <paramref name="file"/>, else for $CIB_file, else the live cluster.</summary>
    public static (ICibClient? Client, string? Error) Open(ToolContext context, string? file = null)
    {
        file ??= context.GetEnv("CIB_file");
        if (file is { Length: > 0 })
            return (new CibFileClient(file), null);
        return (null, "the live CIB is not reachable from this build (no CIB manager client yet); use a file (-f FILE or CIB_file=FILE)");
    }

    /// <summary>The whole CIB, or the error text.</summary>
    public static (System.Xml.Linq.XElement? Cib, CibReply Reply) Query(ICibClient client)
    {
        var reply = client.Execute(new CibRequest(CibCommand.Query));
        return (reply.Ok ? reply.Output : null, reply);
    }
}
