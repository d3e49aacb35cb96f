using System.Text;
using Cluster.Crm.Cib;

namespace Cluster.Tools.Fuzz;

/// <summary>
/// A CIB through both readers (the UTF-8 fast path and the XmlReader one), then the verifier and
/// the scheduler on whatever was read, as crm_verify does. <see cref="CibParseException"/> is the
/// clear error.
/// </summary>
public sealed class CibFuzzTarget(IReadOnlyList<byte[]> corpus) : CorpusTarget(corpus, text: true)
{
    public override string Name => "cib";

    public override FuzzVerdict Run(byte[] input)
    {
        CibDocument fromText;
        try
        {
            fromText = CibDocument.Parse(Encoding.UTF8.GetString(input));
        }
        catch (CibParseException)
        {
            fromText = null!;
        }
        CibDocument cib;
        try
        {
            cib = CibDocument.FromBytes(input, "fuzz.xml");
        }
        catch (CibParseException)
        {
            return FuzzVerdict.Rejected;
        }
        var report = CibVerifier.Verify(cib, "fuzz.xml");
        if (fromText is not null)
            _ = CibVerifier.Validate(fromText);
        return report.SchemaErrors.Count > 0 || report.Errors.Count > 0 ? FuzzVerdict.Rejected : FuzzVerdict.Accepted;
    }
}
