using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Cluster.Crm.Cib;

/// <summary>
/// CIB XML as text the way Pacemaker prints and writes it: two-space indentation, attributes
/// in document order, empty elements as <c>&lt;x/&gt;</c> (no space), one trailing newline.
/// Parsing keeps line numbers (validation errors name them) and drops indentation whitespace.
/// </summary>
public static class CibXmlText
{
    public static string Format(XElement element)
    {
        var sb = new StringBuilder();
        Write(sb, element, 0);
        return sb.ToString();
    }

    /// <summary>The element as one line without indentation (what Pacemaker digests).</summary>
    public static string FormatCompact(XElement element)
    {
        var sb = new StringBuilder();
        WriteCompact(sb, element);
        return sb.ToString();
    }

    private static void WriteCompact(StringBuilder sb, XElement e)
    {
        sb.Append('<').Append(e.Name.LocalName);
        foreach (var a in e.Attributes())
        {
            if (a.IsNamespaceDeclaration) continue;
            sb.Append(' ').Append(a.Name.LocalName).Append("=\"");
            Escape(sb, a.Value, attribute: true);
            sb.Append('"');
        }
        if (!e.Nodes().Any())
        {
            sb.Append("/>");
            return;
        }
        sb.Append('>');
        foreach (var n in e.Nodes())
        {
            if (n is XElement child) WriteCompact(sb, child);
            else if (n is XText t) Escape(sb, t.Value, attribute: false);
            else if (n is XComment c) sb.Append("<!--").Append(c.Value).Append("-->");
        }
        sb.Append("</").Append(e.Name.LocalName).Append('>');
    }

    /// <summary>Parses XML text; malformed text gives a <see cref="CibParseException"/> naming line and position.</summary>
    public static XElement Parse(string text)
    {
        try
        {
            return XElement.Parse(text, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new CibParseException($"line {e.LineNumber}, position {e.LinePosition}: {e.Message}", e);
        }
    }

    private static void Write(StringBuilder sb, XElement e, int depth)
    {
        sb.Append(' ', depth * 2).Append('<').Append(e.Name.LocalName);
        foreach (var a in e.Attributes())
        {
            if (a.IsNamespaceDeclaration) continue;
            sb.Append(' ').Append(a.Name.LocalName).Append("=\"");
            Escape(sb, a.Value, attribute: true);
            sb.Append('"');
        }
        if (!e.Nodes().Any())
        {
            sb.Append("/>\n");
            return;
        }
        if (e.Nodes().All(n => n is XText))
        {
            sb.Append('>');
            Escape(sb, string.Concat(e.Nodes().Cast<XText>().Select(t => t.Value)), attribute: false);
            sb.Append("</").Append(e.Name.LocalName).Append(">\n");
            return;
        }
        sb.Append(">\n");
        foreach (var n in e.Nodes())
        {
            switch (n)
            {
                case XElement child:
                    Write(sb, child, depth + 1);
                    break;
                case XComment c:
                    sb.Append(' ', (depth + 1) * 2).Append("<!--").Append(c.Value).Append("-->\n");
                    break;
                case XText t when !string.IsNullOrWhiteSpace(t.Value):
                    sb.Append(' ', (depth + 1) * 2);
                    Escape(sb, t.Value.Trim(), attribute: false);
                    sb.Append('\n');
                    break;
            }
        }
        sb.Append(' ', depth * 2).Append("</").Append(e.Name.LocalName).Append(">\n");
    }

    private static void Escape(StringBuilder sb, string s, bool attribute)
    {
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"' when attribute: sb.Append("&quot;"); break;
                case < ' ' when attribute || (ch != '\n' && ch != '\t'):
                    sb.Append("&#").Append(((int)ch).ToString(CultureInfo.InvariantCulture)).Append(';');
                    break;
                default: sb.Append(ch); break;
            }
        }
    }
}
