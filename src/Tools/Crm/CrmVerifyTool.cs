using Cluster.Crm.Cib;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm;

/// <summary>crm_verify: check a CIB for configuration errors.</summary>
public static class CrmVerifyTool
{
    public static readonly ToolEntry Entry = new("crm_verify", "Check a CIB for configuration errors", Run);

    private const int ExitConfig = 78;

    public static Task<int> Run(ToolContext ctx, string[] args)
    {
        string? file = null;
        int verbose = 0;
        bool live = false;
        for (int i = 0; i < args.Length; i++)
        {
            var a = args[i];
            if (a.StartsWith("--xml-file=", StringComparison.Ordinal)) { file = a["--xml-file=".Length..]; continue; }
            switch (a)
            {
                case "-x" or "--xml-file":
                    if (i + 1 >= args.Length) { ctx.Err.WriteLine("crm_verify: option -x needs a file"); return Task.FromResult(64); }
                    file = args[++i];
                    break;
                case "-p" or "--xml-pipe": file = "-"; break;
                case "-L" or "--live-check": live = true; break;
                case "-V" or "--verbose": verbose++; break;
                case "-VV": verbose += 2; break;
                case "-h" or "--help":
                    ctx.Out.WriteLine("Usage: crm_verify -x FILE [-V]   check a CIB file for configuration errors");
                    return Task.FromResult(0);
                default:
                    if (a.Length > 1 && a[0] == '-' && a[1] != '-' && a[1..].All(c => c == 'V')) { verbose += a.Length - 1; break; }
                    ctx.Err.WriteLine($"crm_verify: unknown option '{a}'");
                    return Task.FromResult(64);
            }
        }
        if (file is null)
        {
            if (!live)
            {
                ctx.Err.WriteLine("crm_verify: no input given (use -x FILE or -L)");
                return Task.FromResult(64);
            }
            // -L reads through the CIB client: CIB_file or the live CIB manager.
            var (client, error) = Access.CibConnection.Open(ctx);
            if (client is null)
            {
                ctx.Err.WriteLine($"crm_verify: {error}");
                return Task.FromResult(102);
            }
            using (client)
            {
                var (root, reply) = Access.CibConnection.Query(client);
                if (root is null)
                {
                    ctx.Err.WriteLine($"crm_verify: {reply.Error}");
                    return Task.FromResult((int)reply.Code);
                }
                return Task.FromResult(Report(ctx, CibDocument.FromElement(root), verbose, null));
            }
        }
        CibDocument cib;
        try
        {
            cib = file == "-" ? CibDocument.Parse(CappedCibInput.ReadText(ctx.In)) : CibDocument.Load(file);
        }
        catch (CibParseException e)
        {
            ctx.Err.WriteLine($"crm_verify: {e.Message}");
            ctx.Err.WriteLine("crm_verify: Errors found during check: config not valid");
            return Task.FromResult(ExitConfig);
        }
        return Task.FromResult(Report(ctx, cib, verbose, file == "-" ? null : file));
    }

    /// <summary>Prints crm_verify's verdict on <paramref name="cib"/> and returns its exit code.</summary>
    public static int Report(ToolContext ctx, CibDocument cib, int verbose, string? file)
    {
        var report = CibVerifier.Verify(cib, file);
        foreach (var e in report.SchemaErrors) ctx.Err.WriteLine(e);
        if (verbose > 0)
        {
            foreach (var e in report.Logged) ctx.Err.WriteLine($"({e.Function}) \terror: {e.Message}");
            foreach (var e in report.Errors) ctx.Err.WriteLine($"({e.Function}) \terror: {e.Message}");
            foreach (var w in report.Warnings) ctx.Err.WriteLine($"({w.Function}) \twarning: {w.Message}");
        }
        if (report.SchemaErrors.Count > 0 || report.Errors.Count > 0)
        {
            ctx.Err.WriteLine("crm_verify: Errors found during check: config not valid");
            if (verbose == 0) ctx.Err.WriteLine("-V may provide more details");
            return ExitConfig;
        }
        if (report.Warnings.Count > 0)
        {
            ctx.Err.WriteLine("crm_verify: Warnings found during check: config may not be valid");
            if (verbose == 0) ctx.Err.WriteLine("-V may provide more details");
            // As Pacemaker 2.1.5: configuration warnings fail the check too (CRM_EX_CONFIG).
            return ExitConfig;
        }
        return 0;
    }
}
