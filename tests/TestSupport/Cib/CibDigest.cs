using System.Security.Cryptography;
using System.Text;

namespace Cluster.TestSupport.Cib;

/// <summary>
/// The op-digest Pacemaker records for the generator's simple parameter sets (ASCII names and
/// values that need no escaping): MD5 of <c>" &lt;parameters a="1" b="2"/&gt;\n"</c>, names in
/// byte order. Kept here so TestSupport needs no reference to src/Crm; the full algorithm
/// lives in Cluster.Crm.Digests.
/// </summary>
public static class CibDigest
{
    public static string Of(IEnumerable<(string Name, string Value)> parameters)
    {
        var text = new StringBuilder(" <parameters");
        foreach (var (name, value) in parameters.OrderBy(p => p.Name, StringComparer.Ordinal))
            text.Append(' ').Append(name).Append("=\"").Append(value).Append('"');
        text.Append("/>\n");
#pragma warning disable CA5351 // Pacemaker's format, not a security control.
        return Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(text.ToString())));
#pragma warning restore CA5351
    }
}
