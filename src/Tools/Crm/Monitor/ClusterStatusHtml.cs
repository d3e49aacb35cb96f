using System.Net;
using System.Text;

namespace Cluster.Tools.Crm.Monitor;

/// <summary>
/// crm_mon --output-as=html: the text view's sections as Pacemaker 2.1.5's page lays them out
/// (same head and style classes; each heading an h2, each bullet a list item, "Key: value"
/// bullets with the key in bold). Node and resource lines keep the text view's wording.
/// </summary>
public static class ClusterStatusHtml
{
    private const string Style = ".bold { font-weight: bold }\n.online { color: green }\n.offline { color: red }\n.maint { color: blue }\n"
        + ".standby { color: blue }\n.health_red { color: red }\n.health_yellow { color: GoldenRod }\n.rsc-failed { color: red }\n"
        + ".rsc-failure-ignored { color: DarkGreen }\n.rsc-managed { color: blue }\n.rsc-multiple { color: orange }\n.rsc-ok { color: green }\n"
        + ".warning { color: red; font-weight: bold }";

    /// <summary>The page for a text status; <paramref name="refreshSeconds"/> adds the refresh header crm_mon's daemon writes.</summary>
    public static string FromText(string text, int? refreshSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var o = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<title>Cluster Status</title>\n<meta charset=\"utf-8\">\n");
        if (refreshSeconds is { } r) o.Append($"<meta http-equiv=\"refresh\" content=\"{r}\">\n");
        o.Append("<style>").Append(Style).Append("</style>\n</head>\n<body>\n");
        bool inList = false;
        void Close()
        {
            if (inList) o.Append("</ul>\n");
            inList = false;
        }
        foreach (var line in text.Split('\n'))
        {
            if (line.Trim().Length == 0) continue;
            var trimmed = line.TrimStart();
            if (!line.StartsWith(' ') && line.EndsWith(':'))
            {
                Close();
                o.Append("<h2>").Append(WebUtility.HtmlEncode(line[..^1])).Append("</h2>\n");
                continue;
            }
            if (!inList)
            {
                o.Append("<ul>\n");
                inList = true;
            }
            var item = trimmed.StartsWith("* ", StringComparison.Ordinal) ? trimmed[2..] : trimmed;
            var colon = item.IndexOf(": ", StringComparison.Ordinal);
            if (colon > 0 && !item[..colon].Contains('\t') && !item[..colon].Contains('(') && item.IndexOf(' ') >= colon - 20)
                o.Append("<li>\n<span class=\"bold\">").Append(WebUtility.HtmlEncode(item[..(colon + 2)])).Append("</span><span>")
                    .Append(WebUtility.HtmlEncode(item[(colon + 2)..].TrimStart())).Append("</span>\n</li>\n");
            else
                o.Append("<li><span").Append(Class(item)).Append('>').Append(WebUtility.HtmlEncode(item)).Append("</span></li>\n");
        }
        Close();
        return o.Append("</body>\n</html>\n").ToString();
    }

    private static string Class(string item) =>
        item.Contains("FAILED", StringComparison.Ordinal) ? " class=\"rsc-failed\""
        : item.Contains("\t", StringComparison.Ordinal) && item.Contains(" Started", StringComparison.Ordinal) ? " class=\"rsc-ok\""
        : "";
}
