using System.Xml;
using System.Xml.Linq;
using Cluster.Crm.CibClient;

namespace Cluster.Tools.Crm.Access;

/// <summary>
/// Stopgap CIB_file client for the tools (query and whole-CIB replace only) until the CIB
/// engineer's FileCibClient is merged; then <see cref="CibConnection"/> switches to it and this
/// file goes.
/// </summary>
internal sealed class CibFileClient(string path) : ICibClient
{
    public event Action<CibChange>? Changed;

    public CibReply Execute(CibRequest request)
    {
        switch (request.Command)
        {
            case CibCommand.Query:
                try
                {
                    var root = XElement.Load(path, LoadOptions.SetLineInfo);
                    return CibReply.Success(request.Scope is null ? root : root.Descendants(request.Scope).FirstOrDefault());
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return CibReply.Failure(CibResultCode.NotConnected, $"Could not connect to the CIB: {e.Message}");
                }
                catch (XmlException e)
                {
                    return CibReply.Failure(CibResultCode.DataError, $"{path}:{e.LineNumber}: {e.Message}");
                }
            case CibCommand.Replace when request.Scope is null && request.Data is { Name.LocalName: "cib" } data:
                try
                {
                    var copy = new XElement(data);
                    // A change bumps the epoch, as the CIB manager does for every accepted replace.
                    var epoch = long.TryParse((string?)copy.Attribute("epoch"), out var e) ? e : 0;
                    copy.SetAttributeValue("epoch", epoch + 1);
                    copy.SetAttributeValue("num_updates", 0);
                    var tmp = path + ".tmp";
                    CibText.Write(tmp, copy);
                    File.Move(tmp, path, overwrite: true);
                    Changed?.Invoke(new CibChange($"{copy.Attribute("admin_epoch")?.Value ?? "0"}.{epoch + 1}.0"));
                    return CibReply.Success(copy);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    return CibReply.Failure(CibResultCode.Error, $"Could not write {path}: {e.Message}");
                }
            default:
                return CibReply.Failure(CibResultCode.InvalidParameter, $"{request.Command} is not supported on a CIB file by this client");
        }
    }

    public void Dispose()
    {
    }
}
