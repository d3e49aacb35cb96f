using System.Globalization;
using System.Xml.Linq;

namespace Cluster.Crm.Simulation;

/// <summary>crm_simulate's requested modifications (-u/-d/-f/-i/-q) applied to a CIB document.</summary>
public static class Injection
{
    private static XElement Status(XElement root)
    {
        var ns = root.Name.Namespace;
        var st = root.Element(ns + "status");
        if (st is null) { st = new XElement(ns + "status"); root.Add(st); }
        return st;
    }

    private static XElement NodeState(XElement root, string node)
    {
        var ns = root.Name.Namespace;
        var cfgNode = root.Element(ns + "configuration")?.Element(ns + "nodes")?.Elements(ns + "node")
            .FirstOrDefault(n => (string?)n.Attribute("uname") == node || (string?)n.Attribute("id") == node);
        var id = (string?)cfgNode?.Attribute("id") ?? node;
        var uname = (string?)cfgNode?.Attribute("uname") ?? node;
        var status = Status(root);
        var st = status.Elements(ns + "node_state").FirstOrDefault(e => (string?)e.Attribute("id") == id || (string?)e.Attribute("uname") == uname);
        if (st is null)
        {
            st = new XElement(ns + "node_state", new XAttribute("id", id), new XAttribute("uname", uname));
            status.Add(st);
        }
        return st;
    }

    private static void SetState(XElement st, string inCcm, string crmd, string join, string expected)
    {
        st.SetAttributeValue("in_ccm", inCcm);
        st.SetAttributeValue("crmd", crmd);
        st.SetAttributeValue("join", join);
        st.SetAttributeValue("expected", expected);
    }

    public static string NodeUp(XElement root, string node)
    {
        SetState(NodeState(root, node), "true", "online", "member", "member");
        return $"Bringing node {node} online";
    }

    public static string NodeDown(XElement root, string node)
    {
        var st = NodeState(root, node);
        SetState(st, "false", "offline", "down", "down");
        st.Elements(root.Name.Namespace + "lrm").Remove();
        st.Elements(root.Name.Namespace + "transient_attributes").Remove();
        return $"Taking node {node} offline";
    }

    public static string NodeFail(XElement root, string node)
    {
        SetState(NodeState(root, node), "false", "offline", "down", "member");
        return $"Failing node {node}";
    }

    public static string Quorum(XElement root, string value)
    {
        root.SetAttributeValue("have-quorum", value);
        return $"Setting quorum: {value}";
    }

    /// <summary>Injects "${rsc}_${task}_${interval_ms}@${node}=${rc}"; returns the lines to print.</summary>
    public static IReadOnlyList<string> Op(XElement root, string spec, DateTimeOffset now)
    {
        var ns = root.Name.Namespace;
        int at = spec.LastIndexOf('@');
        int eq = spec.LastIndexOf('=');
        if (at < 0 || eq < at) throw new FormatException($"invalid operation spec '{spec}': expected rsc_task_interval@node=rc");
        var key = spec[..at];
        var node = spec[(at + 1)..eq];
        if (!int.TryParse(spec[(eq + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var rc))
            throw new FormatException($"invalid operation spec '{spec}': rc must be an integer");
        var parts = key.Split('_');
        if (parts.Length < 3 || !long.TryParse(parts[^1], out var interval))
            throw new FormatException($"invalid operation spec '{spec}': expected rsc_task_interval");
        var task = parts[^2];
        var rscId = string.Join('_', parts[..^2]);
        if (task is "notify" or "to" or "from" && parts.Length >= 4) { task = parts[^3] + "_" + parts[^2]; rscId = string.Join('_', parts[..^3]); }
        var lines = new List<string> { $"Injecting {spec[..at]}@{node}={rc} into the configuration" };
        var st = NodeState(root, node);
        var lrm = st.Element(ns + "lrm") ?? new XElement(ns + "lrm", new XAttribute("id", (string?)st.Attribute("id") ?? node));
        if (lrm.Parent is null) st.Add(lrm);
        var lrs = lrm.Element(ns + "lrm_resources") ?? new XElement(ns + "lrm_resources");
        if (lrs.Parent is null) lrm.Add(lrs);
        var lr = lrs.Elements(ns + "lrm_resource").FirstOrDefault(e => (string?)e.Attribute("id") == rscId);
        if (lr is null)
        {
            var prim = root.Descendants(ns + "primitive").FirstOrDefault(p => (string?)p.Attribute("id") == rscId);
            lr = new XElement(ns + "lrm_resource", new XAttribute("id", rscId),
                new XAttribute("class", (string?)prim?.Attribute("class") ?? "ocf"), new XAttribute("type", (string?)prim?.Attribute("type") ?? "Dummy"));
            if ((string?)prim?.Attribute("provider") is { } pv) lr.Add(new XAttribute("provider", pv));
            lrs.Add(lr);
        }
        int callId = root.Descendants(ns + "lrm_rsc_op").Select(o => int.TryParse((string?)o.Attribute("call-id"), out var c) ? c : 0).DefaultIfEmpty(0).Max() + 1;
        int target = task == "monitor" && interval == 0 ? 7 : 0;
        var id = interval > 0 ? $"{rscId}_{task}_{interval}" : $"{rscId}_last_0";
        lr.Elements(ns + "lrm_rsc_op").Where(e => (string?)e.Attribute("id") == id).Remove();
        var nowSecs = now.ToUnixTimeSeconds();
        lr.Add(new XElement(ns + "lrm_rsc_op", new XAttribute("id", id), new XAttribute("operation_key", key),
            new XAttribute("operation", task), new XAttribute("transition-key", $"0:0:{target}:xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"),
            new XAttribute("call-id", callId), new XAttribute("rc-code", rc), new XAttribute("op-status", 0),
            new XAttribute("interval", interval), new XAttribute("last-rc-change", nowSecs)));
        if (rc != target && !(target == 7 && rc == 0))
        {
            var tr = st.Element(ns + "transient_attributes") ?? new XElement(ns + "transient_attributes", new XAttribute("id", (string?)st.Attribute("id") ?? node));
            if (tr.Parent is null) st.Add(tr);
            var ia = tr.Element(ns + "instance_attributes") ?? new XElement(ns + "instance_attributes", new XAttribute("id", $"status-{(string?)st.Attribute("id")}"));
            if (ia.Parent is null) tr.Add(ia);
            var fcName = $"fail-count-{rscId}#{task}_{interval}";
            var nv = ia.Elements(ns + "nvpair").FirstOrDefault(e => (string?)e.Attribute("name") == fcName);
            long old = nv is null ? 0 : (Cib.Score.Parse((string?)nv.Attribute("value")).Value);
            nv?.Remove();
            ia.Add(new XElement(ns + "nvpair", new XAttribute("id", $"status-{fcName.Replace('#', '.')}"), new XAttribute("name", fcName), new XAttribute("value", Math.Min(old + 1, Cib.Score.InfinityValue))));
            var lfName = $"last-failure-{rscId}#{task}_{interval}";
            ia.Elements(ns + "nvpair").Where(e => (string?)e.Attribute("name") == lfName).Remove();
            ia.Add(new XElement(ns + "nvpair", new XAttribute("id", $"status-{lfName.Replace('#', '.')}"), new XAttribute("name", lfName), new XAttribute("value", nowSecs)));
            var sid = (string?)st.Attribute("id");
            lines.Add($"Injecting attribute {fcName}=value++ into /node_state '{sid}'");
            lines.Add($"Injecting attribute {lfName}={nowSecs} into /node_state '{sid}'");
        }
        return lines;
    }
}
