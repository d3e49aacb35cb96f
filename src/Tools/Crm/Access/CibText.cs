using System.Text;
using System.Xml.Linq;
using Cluster.Crm.Cib;

namespace Cluster.Tools.Crm.Access;

/// <summary>A CIB as Pacemaker's tools print and write it (<see cref="CibXmlText"/>), for files the tools write themselves.</summary>
public static class CibText
{
    /// <summary>The text without the trailing newline (callers print it with WriteLine).</summary>
    public static string Format(XElement element) => CibXmlText.Format(element).TrimEnd('\n');

    public static void Write(string path, XElement element) =>
        File.WriteAllText(path, CibXmlText.Format(element), new UTF8Encoding(false));
}
