namespace Cluster.Tools.Pcs.Commands;

/// <summary>
/// pcs stonith fence and pcs stonith history show on the live cluster: pcs 0.11.5 runs
/// stonith_admin (-B, or -F with --off; --history NODE|* --verbose) and reports on what it
/// printed, which these do with the stonith_admin tool of the same executable.
/// </summary>
public static class StonithLiveCommands
{
    public static PcsCommand Fence { get; } = new(["stonith", "fence"], "stonith fence <node> [--off]", async inv =>
    {
        if (NotOnFile(inv) is { } refused)
            return refused;
        if (inv.Args.Count != 1)
            return inv.Usage("must specify one (and only one) node to fence");
        var node = inv.Args[0];
        var (rc, stdout, stderr) = await StonithAdminAsync(inv, inv.Options.Has("--off") ? "-F" : "-B", node).ConfigureAwait(false);
        if (rc != 0)
        {
            // pcs prints what stonith_admin said (its output, then its errors) after its own line.
            inv.Err.WriteLine($"Error: unable to fence '{node}'\n{stdout}{stderr}");
            return 1;
        }
        inv.Err.WriteLine($"Node: {node} fenced");
        return 0;
    });

    public static PcsCommand History { get; } = new(["stonith", "history"], "stonith history [show [<node>]]", async inv =>
    {
        if (NotOnFile(inv) is { } refused)
            return refused;
        var args = inv.Args.ToList();
        if (args.Count > 0 && args[0] == "show")
            args.RemoveAt(0);
        else if (args.Count > 0 && args[0] is "cleanup" or "update")
            return inv.Usage($"'stonith history {args[0]}' is not implemented on the live cluster yet (planned)");
        if (args.Count > 1)
            return inv.Usage("usage: pcs stonith history show [<node>]");
        var (rc, stdout, stderr) = await StonithAdminAsync(inv, "--history", args.Count == 1 ? args[0] : "*", "--verbose").ConfigureAwait(false);
        if (rc != 0)
            return inv.Fail($"Unable to show fence history: {string.Join("\n", new[] { stderr.Trim(), stdout.Trim() }.Where(s => s.Length > 0))}");
        inv.Out.WriteLine(stdout.Trim());
        return 0;
    });

    private static int? NotOnFile(PcsInvocation inv) =>
        inv.OnFile
            ? inv.Usage("Specified option '-f' is not supported in this command")
            : null;

    private static async Task<(int Rc, string Stdout, string Stderr)> StonithAdminAsync(PcsInvocation inv, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = inv.Context with { Out = stdout, Err = stderr };
        var rc = await Dispatch.ToolRegistry.All["stonith_admin"].Run(context, args).ConfigureAwait(false);
        return (rc, stdout.ToString(), stderr.ToString());
    }
}
