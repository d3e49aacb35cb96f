using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Cluster.Tools.Crm.Access;

/// <summary>A CIB as Pacemaker's tools write it: two-space indent, no declaration, no BOM, "&lt;x/&gt;".</summary>
public static class CibText
{
    public static string Format(XElement element)
    {
        var sw = new StringWriter { NewLine = "\n" };
        using (var w = XmlWriter.Create(sw, new XmlWriterSettings { Indent = true, IndentChars = "  ", OmitXmlDeclaration = true, NewLineChars = "\n" }))
            element.Save(w);
        // XmlWriter puts a space before "/>"; libxml2 does not. Attribute values never hold a raw " />" (">" is escaped there).
        return sw.ToString().Replace(" />", "/>", StringComparison.Ordinal);
    }

    public static void Write(string path, XElement element) =>
        File.WriteAllText(path, Format(element) + "\n", new UTF8Encoding(false));
}
