using Cluster.Crm.CibClient;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm.Access;

/// <summary>
/// How the CIB tools here get their client: a file named on the command line (pcs -f FILE),
/// else <see cref="CibClients.Connect(Func{string, string?}, string)"/> (CIB_file, or the live CIB
/// manager over its socket). Connection failures come back as Pacemaker's reason and exit code.
/// </summary>
public static class CibConnection
{
    public static (ICibClient? Client, string? Error) Open(ToolContext context, string? file = null, string clientName = "cibadmin")
    {
        try
        {
            return (file is { Length: > 0 } ? new FileCibClient(file) : CibClients.Connect(context.GetEnv, clientName), null);
        }
        catch (CibConnectionException e)
        {
            return (null, e.Reason);
        }
    }

    /// <summary>The whole CIB, or the reply with the error.</summary>
    public static (System.Xml.Linq.XElement? Cib, CibReply Reply) Query(ICibClient client)
    {
        var reply = client.Execute(new CibRequest(CibCommand.Query));
        return (reply.Ok ? reply.Output : null, reply);
    }
}
