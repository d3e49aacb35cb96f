using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;
using Cluster.Tools.Messaging;

namespace Cluster.Tools.Cibadmin;

/// <summary>
/// cibadmin: query and edit the CIB, through <see cref="CibClients"/> (the live manager, or
/// CIB_file). Output, messages and exit codes follow Pacemaker 2.1.5's cibadmin.
/// </summary>
public static class CibadminTool
{
    public static readonly ToolEntry Entry = new("cibadmin", "Query and edit the CIB (live or CIB_file)", Run);

    private const int ExitUsage = 64;
    private const int ExitConfig = 78;

    /// <summary>
    /// Pacemaker 2.1.5's cibadmin still parses with getopt_long (not GLib): prefixes of long names,
    /// getopt's wording for errors. The long table is in the real tool's order, which its
    /// ambiguity message follows. --help stands for a letter of its own because it differs from
    /// -?: help on stdout and exit 0, against usage on stderr and exit 64.
    /// </summary>
    private static readonly Getopt Parser = new("uQEBCMPRDda56S::ft:U:slcnX:x:po:A:eN:h:V?$", new KeyValuePair<string, char>[]
    {
        new("help", LongHelp), new("version", '$'), new("verbose", 'V'),
        new("upgrade", 'u'), new("query", 'Q'), new("erase", 'E'), new("bump", 'B'), new("create", 'C'), new("modify", 'M'),
        new("patch", 'P'), new("replace", 'R'), new("delete", 'D'), new("delete-all", 'd'), new("empty", 'a'),
        new("md5-sum", '5'), new("md5-sum-versioned", '6'), new("show-access", 'S'),
        new("force", 'f'), new("timeout", 't'), new("user", 'U'), new("sync-call", 's'), new("local", 'l'),
        new("allow-create", 'c'), new("no-children", 'n'),
        new("xml-text", 'X'), new("xml-file", 'x'), new("xml-pipe", 'p'),
        new("scope", 'o'), new("xpath", 'A'), new("node-path", 'e'), new("node", 'N'),
    }, getoptLong: true);

    // "-h VALUE" is in the real tool's short options (a host, unused since): it takes a value and is ignored.

    /// <summary>The letter --help maps to: not in the short spec, so "-H" stays an invalid option.</summary>
    private const char LongHelp = 'H';

    /// <summary>Options of the real tool this implementation refuses rather than ignores, by letter and long name.</summary>
    private static readonly Dictionary<char, string> Unsupported = new()
    {
        ['P'] = "patch", ['6'] = "md5-sum-versioned", ['S'] = "show-access", ['U'] = "user", ['n'] = "no-children", ['N'] = "node",
    };

    public static Task<int> Run(ToolContext ctx, string[] args) => Task.FromResult(Execute(ctx, args));

    private static int Execute(ToolContext ctx, string[] args)
    {
        var parsed = Parser.Parse(args, "cibadmin");
        char? command = null;
        string? xmlText = null, xmlFile = null, scope = null, xpath = null;
        bool pipe = false, nodePath = false;
        var options = CibCallOptions.None;
        // Options act in order up to the first bad one, as the real tool's getopt loop does:
        // "--version -Z" prints the version, "-Z --version" the error.
        for (var at = 0; at < parsed.Options.Count; at++)
        {
            var (name, arg) = parsed.Options[at];
            switch (name)
            {
                case LongHelp:
                    ctx.Out.Write(CibadminUsage.Text);
                    return 0;
                case '?':
                    ctx.Err.Write(CibadminUsage.Text);
                    return ExitUsage;
                case '$':
                    ctx.Out.Write(GlibOptions.VersionText);
                    return 0;
                case 'a':
                    // The real tool prints the empty CIB as soon as it meets -a, taking the next
                    // word (whatever it is) as the schema.
                    var empty = CibOperations.Empty();
                    if (parsed.Options[at].NextWord < args.Length) empty.SetAttributeValue("validate-with", args[parsed.Options[at].NextWord]);
                    ctx.Out.Write(CibXmlText.Format(empty));
                    return 0;
                case 'u' or 'Q' or 'E' or 'B' or 'C' or 'M' or 'R' or 'D' or '5' or 'P' or '6':
                    command = name;
                    break;
                case 'd': command ??= 'D'; options |= CibCallOptions.Multiple; break;
                case 'f': options |= CibCallOptions.Force; break;
                case 'l': options |= CibCallOptions.Local; break;
                case 'c': options |= CibCallOptions.AllowCreate; break;
                case 'X': xmlText = arg; break;
                case 'x': xmlFile = arg; break;
                case 'p': pipe = true; break;
                case 'o': scope = arg; break;
                case 'A': xpath = arg; break;
                case 'e': nodePath = true; options |= CibCallOptions.XPathAddress; break;
            }
        }
        if (parsed.Error is not null)
        {
            ctx.Err.WriteLine(parsed.Error);
            ctx.Err.Write(CibadminUsage.Text);
            return ExitUsage;
        }
        if (parsed.Operands.Count > 0)
        {
            ctx.Out.WriteLine($"non-option ARGV-elements: {string.Concat(parsed.Operands.Select(o => o + " "))}");
            ctx.Err.Write(CibadminUsage.Text);
            return ExitUsage;
        }
        if (command is null)
        {
            ctx.Err.Write(CibadminUsage.Text);
            return ExitUsage;
        }
        if (parsed.Options.FirstOrDefault(o => Unsupported.ContainsKey(o.Name)) is { } refused)
        {
            ctx.Err.WriteLine($"cibadmin: --{Unsupported[refused.Name]} is not supported by this implementation");
            return ExitUsage;
        }
        XElement? data = null;
        if (xmlText is not null || xmlFile is not null || pipe)
        {
            var source = xmlText is not null ? "input string" : xmlFile ?? "STDIN";
            try
            {
                var text = xmlText ?? (xmlFile is not null ? File.ReadAllText(xmlFile) : ctx.In.ReadToEnd());
                data = CibXmlText.Parse(text);
            }
            catch (Exception e) when (e is CibParseException or IOException or UnauthorizedAccessException)
            {
                ctx.Err.WriteLine($"Couldn't parse input from {source}.");
                if (e is CibParseException) ctx.Err.WriteLine($"  {e.Message}");
                return ExitConfig;
            }
        }
        if (command == '5')
        {
            if (data is null)
            {
                ctx.Err.WriteLine("Please supply XML to process with -X, -x or -p");
                return ExitUsage;
            }
            ctx.Err.Write("Digest: ");
            ctx.Out.WriteLine(CibFileDigest.Compute(data));
            return 0;
        }

        var request = new CibRequest(command switch
        {
            'Q' => CibCommand.Query,
            'C' => CibCommand.Create,
            'M' => CibCommand.Modify,
            'R' => CibCommand.Replace,
            'D' => CibCommand.Delete,
            'E' => CibCommand.Erase,
            'u' => CibCommand.Upgrade,
            _ => CibCommand.Bump,
        }, scope, xpath, data, options);

        // Dangerous requests are refused before connecting, as the real tool does.
        bool dangerous = request.Command is CibCommand.Erase or CibCommand.Upgrade
            || (request.Command == CibCommand.Delete && options.HasFlag(CibCallOptions.Multiple));
        if (dangerous && !options.HasFlag(CibCallOptions.Force))
        {
            ctx.Err.WriteLine(CibErrors.Dangerous);
            return (int)CibResultCode.Unsafe;
        }

        ICibClient client;
        try
        {
            client = CibClients.Connect(ctx.GetEnv, "cibadmin");
        }
        catch (CibConnectionException e)
        {
            ctx.Err.WriteLine($"Could not connect to the CIB: {e.Reason}");
            ctx.Err.WriteLine("Init failed, could not perform requested operations");
            return (int)e.Code;
        }
        using (client)
        {
            var reply = client.Execute(request);
            if (reply.Output is { } output)
            {
                if (nodePath && request.Command == CibCommand.Query)
                {
                    foreach (var p in output.Elements("xpath-query-path")) ctx.Out.WriteLine((string?)p.Attribute("path"));
                }
                else ctx.Out.Write(CibXmlText.Format(output));
            }
            if (!reply.Ok)
            {
                foreach (var line in reply.Details) ctx.Err.WriteLine(line);
                ctx.Err.WriteLine($"Call failed: {reply.Error}");
            }
            return (int)reply.Code;
        }
    }
}
