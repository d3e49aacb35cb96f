using System.Xml.Linq;
using Cluster.Crm.Cib;

namespace Cluster.Crm.CibClient;

/// <summary>
/// A CIB client on a file (CIB_file=PATH), as Pacemaker's clients do: the file is read when the
/// client connects, every request is applied by <see cref="CibOperations"/>, and each change is
/// written back atomically at once (temp file, fsync, rename). Like 2.1.5 it does not stamp
/// cib-last-written or update-origin/client/user.
/// </summary>
public sealed class FileCibClient : ICibClient
{
    private XElement _cib;

    public string Path { get; }

    public event Action<CibChange>? Changed;

    /// <summary>Reads the file; a missing file or one that is not a CIB cannot be connected to.</summary>
    public FileCibClient(string path)
    {
        Path = path;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CibConnectionException(CibResultCode.NotFound, CibErrors.NoSuchObject);
        }
        try
        {
            _cib = CibXmlText.Parse(text);
        }
        catch (CibParseException)
        {
            throw new CibConnectionException(CibResultCode.ConfigInvalid, CibErrors.SchemaViolation);
        }
        if (_cib.Name.LocalName != "cib")
            throw new CibConnectionException(CibResultCode.ConfigInvalid, CibErrors.SchemaViolation);
    }

    public CibReply Execute(CibRequest request)
    {
        var outcome = CibOperations.Apply(_cib, request);
        if (outcome.Cib is { } updated)
        {
            AtomicFile.Write(Path, CibXmlText.Format(updated));
            _cib = updated;
            Changed?.Invoke(new CibChange(CibOperations.VersionOf(updated).ToString()));
        }
        return outcome.Reply;
    }

    public void Dispose() { }
}
