using System.Xml.Linq;

namespace Cluster.Crm.CibClient;

/// <summary>
/// The answer to a <see cref="CibRequest"/>: the result code, the output element (a query's
/// result, or the CIB after a change when asked), and the error text a tool prints (already in
/// the real tool's wording) when the code is not <see cref="CibResultCode.Ok"/>.
/// </summary>
public sealed record CibReply(CibResultCode Code, XElement? Output = null, string? Error = null)
{
    public bool Ok => Code == CibResultCode.Ok;

    public static CibReply Success(XElement? output = null) => new(CibResultCode.Ok, output);

    public static CibReply Failure(CibResultCode code, string error) => new(code, null, error);
}
