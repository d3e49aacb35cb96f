namespace Cluster.Tools.Pcs.Editing;

/// <summary>One "op NAME k=v..." of a create/update command line.</summary>
public sealed record OperationSpec(string Name, IReadOnlyList<(string Name, string Value)> Options)
{
    public string? Get(string key) => Options.FirstOrDefault(o => o.Name == key).Value;
}

/// <summary>
/// The words after "pcs resource create ID AGENT": instance options, then op / meta / clone /
/// promotable blocks, as pcs groups them.
/// </summary>
public sealed record ResourceSpec(
    List<(string Name, string Value)> Instance,
    List<OperationSpec> Operations,
    List<(string Name, string Value)> Meta,
    string? CloneKind,
    string? CloneId,
    List<(string Name, string Value)> CloneMeta)
{
    /// <summary>Parses the option words; the error names the word that does not fit.</summary>
    public static (ResourceSpec? Spec, string? Error) Parse(IEnumerable<string> words)
    {
        var spec = new ResourceSpec([], [], [], null, null, []);
        var section = "instance";
        OperationSpec? op = null;
        List<(string, string)>? opOptions = null;
        foreach (var w in words)
        {
            if (w is "op" or "meta" or "clone" or "promotable")
            {
                section = w;
                if (w is "clone" or "promotable")
                {
                    if (spec.CloneKind is not null) return (null, "you can specify only one of clone, promotable, bundle or --group");
                    spec = spec with { CloneKind = w };
                }
                op = null;
                continue;
            }
            var eq = w.IndexOf('=');
            switch (section)
            {
                case "instance":
                case "meta":
                    if (eq <= 0) return (null, $"missing value of '{w}' option");
                    (section == "meta" ? spec.Meta : spec.Instance).Add((w[..eq], w[(eq + 1)..]));
                    break;
                case "op":
                    if (eq < 0)
                    {
                        opOptions = [];
                        op = new OperationSpec(w, opOptions);
                        spec.Operations.Add(op);
                    }
                    else if (op is null || opOptions is null)
                        return (null, "When using 'op' you must specify an operation name and at least one option");
                    else if (eq == 0) return (null, $"missing key in '{w}' option");
                    else opOptions.Add((w[..eq], w[(eq + 1)..]));
                    break;
                default: // clone / promotable
                    if (eq < 0)
                    {
                        if (spec.CloneId is not null || spec.CloneMeta.Count > 0) return (null, $"missing value of '{w}' option");
                        spec = spec with { CloneId = w };
                    }
                    else spec.CloneMeta.Add((w[..eq], w[(eq + 1)..]));
                    break;
            }
        }
        return (spec, null);
    }
}
