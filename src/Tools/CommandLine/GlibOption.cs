namespace Cluster.Tools.CommandLine;

/// <summary>Whether a GLib option takes a value.</summary>
public enum GlibValue
{
    /// <summary>A flag: <c>-Q</c>, <c>--quiet</c>.</summary>
    None,

    /// <summary><c>--name value</c>, <c>--name=value</c>, <c>-n value</c>, <c>-nvalue</c>; the next word is taken even if it starts with '-'.</summary>
    Required,

    /// <summary>Like <see cref="Required"/>, but a following word that starts with '-' is not taken, and the value may be absent.</summary>
    Optional,
}

/// <summary>
/// One option of a Pacemaker tool: its long name (the key the tool reads it back by), optional
/// short letter, whether it takes a value, and its help line. <paramref name="Group"/> null is
/// the "Application Options" shown by <c>--help</c>; a named group is shown by
/// <c>--help-GROUP</c> and <c>--help-all</c>, as GLib does. A <paramref name="Hidden"/> option
/// (a deprecated alias the real tool still accepts) parses but is never listed. A description
/// may hold line breaks; help indents the lines after the first under it.
/// </summary>
public sealed record GlibOption(string Long, char? Short, GlibValue Value, string Description, string? ValueName = null, string? Group = null,
    bool Hidden = false)
{
    /// <summary>"-x, --xml-file=FILE" as the help lists it.</summary>
    public string Synopsis
    {
        get
        {
            var name = Short is { } s ? $"-{s}, --{Long}" : $"--{Long}";
            // GLib shows optional values like required ones; the description says they are optional.
            // An optional value without a name (crm_mon's -L) is not shown at all.
            return Value == GlibValue.None || (Value == GlibValue.Optional && ValueName is null) ? name : $"{name}={ValueName ?? "VALUE"}";
        }
    }
}

/// <summary>
/// A group of options shown by <c>--help-NAME</c> under its own title. A <paramref name="Hidden"/>
/// group (deprecated aliases) answers <c>--help-NAME</c> but is listed nowhere.
/// </summary>
public sealed record GlibGroup(string Name, string Title, string HelpDescription, bool Hidden = false);
