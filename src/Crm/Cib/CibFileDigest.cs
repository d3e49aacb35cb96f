using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Cluster.Crm.Cib;

/// <summary>
/// The digest Pacemaker writes to cib.xml.sig and prints for `cibadmin -5`: hex MD5 of the
/// element as unindented text with one leading space and a trailing newline (its "v1" digest
/// text; checked against the real cibadmin --md5-sum).
/// </summary>
public static class CibFileDigest
{
    public static string Compute(XElement cib)
    {
        var text = " " + CibXmlText.FormatCompact(cib) + "\n";
        return Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));
    }
}
