using Cluster.Crm.Cib;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Crm;

/// <summary>crm_verify: check a CIB for configuration errors.</summary>
public static class CrmVerifyTool
{
    public static readonly ToolEntry Entry = new("crm_verify", "Check a CIB for configuration errors", Run);

    private const int ExitConfig = 78;

    private static readonly GlibOptions Options = new("crm_verify", "Check a Pacemaker configuration for errors",
    [
        new("output-as", null, GlibValue.Required, "Specify output format as one of: text (default), xml", "FORMAT", "output"),
        new("output-to", null, GlibValue.Required, "Specify file name for output (or \"-\" for stdout)", "DEST", "output"),
        new("text-fancy", null, GlibValue.None, "Use more highly formatted output (requires --output-as=text)", Group: "output"),
        new("live-check", 'L', GlibValue.None, "Check the configuration used by the running cluster", Group: "data"),
        new("xml-file", 'x', GlibValue.Required, "Check the configuration in the named file", "FILE", "data"),
        new("xml-pipe", 'p', GlibValue.None, "Check the configuration piped in via stdin", Group: "data"),
        new("xml-text", 'X', GlibValue.Required, "Check the configuration in the supplied string", "XML", "data"),
        new("save-xml", 'S', GlibValue.Required, "Save verified XML to named file (most useful with -L)", "FILE", "additional"),
    ],
    [
        new("output", "Output Options:", "Show output help"),
        new("data", "Data sources:", "Show data options"),
        new("additional", "Additional options:", "Show additional options"),
    ],
    description: """
        Check the well-formedness of a complete Pacemaker XML configuration,
        its conformance to the configured schema, and the presence of common
        misconfigurations. Problems reported as errors must be fixed before the
        cluster will work properly. It is left to the administrator to decide
        whether to fix problems reported as warnings.
        """,
        epilogue: """
        Examples:

        Check the consistency of the configuration in the running cluster:

        	crm_verify --live-check

        Check the consistency of the configuration in a given file and produce verbose output:

        	crm_verify --xml-file file.xml --verbose
        """ + "\n\n\n");

    public static Task<int> Run(ToolContext ctx, string[] args) => Task.FromResult(Verify(ctx, args));

    private static int Verify(ToolContext ctx, string[] args)
    {
        if (!Options.TryParse(ctx, args, out var parsed, out var exit))
            return exit;
        if (parsed.Value("output-as") is { } format && format != "text")
        {
            ctx.Err.WriteLine($"crm_verify: only --output-as=text is supported, not '{format}'");
            return GlibOptions.ExitUsage;
        }
        foreach (var refused in new[] { "save-xml", "output-to" })
        {
            if (parsed.Has(refused))
            {
                ctx.Err.WriteLine($"crm_verify: --{refused} is not supported by this implementation");
                return GlibOptions.ExitUsage;
            }
        }
        if (parsed.Value("xml-text") is { } xmlText)
        {
            try
            {
                return Report(ctx, CibDocument.Parse(xmlText), parsed.Verbosity, null);
            }
            catch (CibParseException e)
            {
                ctx.Err.WriteLine($"crm_verify: {e.Message}");
                ctx.Err.WriteLine("crm_verify: Errors found during check: config not valid");
                return ExitConfig;
            }
        }
        var file = parsed.Has("xml-pipe") ? "-" : parsed.Value("xml-file");
        var verbose = parsed.Verbosity;
        if (file is null)
        {
            if (parsed.Has("live-check"))
                return VerifyLive(ctx, verbose);
            ctx.Err.WriteLine("crm_verify: No configuration source specified.  Use --help for usage information.");
            return 1;
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
            return ExitConfig;
        }
        return Report(ctx, cib, verbose, file == "-" ? null : file);
    }

    /// <summary>-L: the CIB through the CIB client (CIB_file or the live CIB manager).</summary>
    private static int VerifyLive(ToolContext ctx, int verbose)
    {
        var (client, error) = Access.CibConnection.Open(ctx);
        if (client is null)
        {
            ctx.Err.WriteLine($"crm_verify: {error}");
            return 102;
        }
        using (client)
        {
            var (root, reply) = Access.CibConnection.Query(client);
            if (root is null)
            {
                ctx.Err.WriteLine($"crm_verify: {reply.Error}");
                return (int)reply.Code;
            }
            return Report(ctx, CibDocument.FromElement(root), verbose, null);
        }
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
