namespace Cluster.Tools.Pcs;

/// <summary>pcs global flags (accepted anywhere on the command line, as pcs does).</summary>
public sealed record PcsOptions(bool Full, bool Force, bool Debug, string? CibFile, bool NoDescription)
{
    /// <summary>Splits global flags from the positional words.</summary>
    public static (PcsOptions Options, List<string> Words, string? Error) Parse(string[] args)
    {
        bool full = false, force = false, debug = false, nodesc = false;
        string? cib = null;
        var words = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--full": full = true; break;
                case "--force": force = true; break;
                case "--debug": debug = true; break;
                case "--nodesc": nodesc = true; break;
                case "-f":
                    if (i + 1 >= args.Length)
                        return (Empty, words, "option -f requires an argument");
                    cib = args[++i];
                    break;
                case "--":
                    words.AddRange(args[(i + 1)..]);
                    i = args.Length;
                    break;
                default:
                    words.Add(args[i]);
                    break;
            }
        }
        return (new PcsOptions(full, force, debug, cib, nodesc), words, null);
    }

    public static PcsOptions Empty { get; } = new(false, false, false, null, false);
}
