using System.Xml.Linq;

namespace Cluster.Crm.CibClient;

/// <summary>
/// The answer to a <see cref="CibRequest"/>: the result code, the output element (a query's
/// result, or the &lt;failed&gt; report of a create), and the error text in the real tool's
/// wording (Pacemaker's strerror text, e.g. "No such device or address"; cibadmin prints it as
/// "Call failed: {Error}") when the code is not <see cref="CibResultCode.Ok"/>.
/// <see cref="Details"/> says what exactly was wrong (validation errors naming element and id).
/// </summary>
public sealed record CibReply(CibResultCode Code, XElement? Output = null, string? Error = null)
{
    public bool Ok => Code == CibResultCode.Ok;

    /// <summary>Lines explaining a failure (e.g. each schema error); empty when none.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    /// <summary>The CIB version after the request ("admin_epoch.epoch.num_updates"), when known.</summary>
    public string? Version { get; init; }

    public static CibReply Success(XElement? output = null) => new(CibResultCode.Ok, output);

    public static CibReply Failure(CibResultCode code, string error) => new(code, null, error);
}
