using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;
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

    private static readonly ShortOptions Parser = new("uQEBCMRDda5fst:U:lcnX:x:pwo:A:eN:V?$", new Dictionary<string, char>
    {
        ["upgrade"] = 'u', ["query"] = 'Q', ["erase"] = 'E', ["bump"] = 'B', ["create"] = 'C', ["modify"] = 'M',
        ["replace"] = 'R', ["delete"] = 'D', ["delete-all"] = 'd', ["empty"] = 'a', ["md5-sum"] = '5',
        ["force"] = 'f', ["sync-call"] = 's', ["timeout"] = 't', ["user"] = 'U', ["local"] = 'l',
        ["allow-create"] = 'c', ["no-children"] = 'n', ["xml-text"] = 'X', ["xml-file"] = 'x', ["xml-pipe"] = 'p',
        ["scope"] = 'o', ["xpath"] = 'A', ["node-path"] = 'e', ["node"] = 'N', ["verbose"] = 'V', ["help"] = '?',
        ["version"] = '$',
    });

    public static Task<int> Run(ToolContext ctx, string[] args) => Task.FromResult(Execute(ctx, args));

    private static int Execute(ToolContext ctx, string[] args)
    {
        var parsed = Parser.Parse(args, "cibadmin");
        if (parsed.Error is not null)
        {
            ctx.Err.WriteLine(parsed.Error);
            ctx.Err.WriteLine(Usage);
            return ExitUsage;
        }
        char? command = null;
        string? xmlText = null, xmlFile = null, scope = null, xpath = null;
        bool pipe = false, nodePath = false;
        var options = CibCallOptions.None;
        foreach (var (name, arg) in parsed.Options)
        {
            switch (name)
            {
                case 'u' or 'Q' or 'E' or 'B' or 'C' or 'M' or 'R' or 'D' or 'a' or '5':
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
                case '?':
                    ctx.Out.WriteLine(Usage);
                    return 0;
                case '$':
                    ctx.Out.WriteLine("Pacemaker 2.1.5 (compatible cibadmin)");
                    return 0;
            }
        }
        if (command is null)
        {
            ctx.Err.WriteLine(Usage);
            return ExitUsage;
        }
        if (command == 'a')
        {
            var empty = CibOperations.Empty();
            if (parsed.Operands.Count > 0) empty.SetAttributeValue("validate-with", parsed.Operands[0]);
            ctx.Out.Write(CibXmlText.Format(empty));
            return 0;
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

    private const string Usage = """
        cibadmin - query and edit the Pacemaker configuration
        Usage: cibadmin <command> [options]
        Commands:
         -Q, --query        query the CIB          -C, --create   create an object (fails if it exists)
         -M, --modify       update an object       -R, --replace  replace an object or the whole CIB
         -D, --delete       delete the first match -d, --delete-all  with --xpath: every match
         -E, --erase        erase the CIB (--force) -u, --upgrade  move to the latest schema (--force)
         -B, --bump         epoch + 1              -a, --empty    print an empty CIB
         -5, --md5-sum      on-disk digest of the given XML
        Options: -f --force, -l --local, -c --allow-create, -o --scope SECTION, -A --xpath XPATH,
         -e --node-path, -X --xml-text XML, -x --xml-file FILE, -p --xml-pipe
        CIB_file=PATH works on a file instead of the live CIB.
        """;
}
