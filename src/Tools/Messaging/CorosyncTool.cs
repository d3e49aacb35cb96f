using System.Reflection;
using Cluster.Messaging.Config;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Messaging;

/// <summary>
/// <c>corosync [-c FILE] [-f] [-t] [-v]</c>. Implemented: <c>-t</c> (check the config as corosync
/// does at startup, exit 0 / 7 / 8) and <c>-v</c>. Starting the daemon (<c>-f</c> or no flag) is
/// left to <see cref="RunDaemon"/>.
/// </summary>
public static class CorosyncTool
{
    public const string Name = "corosync";

    /// <summary>The command line, parsed in one place for the config check and the daemon.</summary>
    public sealed record Options(string? ConfigFile, bool Foreground, bool TestOnly, bool Version);

    public static ToolEntry Entry { get; } = new(Name, "Corosync-compatible cluster engine (-t checks corosync.conf)", Run);

    private const string Usage = """
        usage:
                -c     : Corosync config file path.
                -f     : Start application in foreground.
                -t     : Test configuration and exit.
                -v     : Display version, git revision and some useful information about Corosync and exit.
        """;

    /// <summary>Parses the arguments, or returns the error text (getopt's wording) to print before the usage.</summary>
    public static (Options? Options, string? Error) ParseArguments(IReadOnlyList<string> args)
    {
        var parsed = new Getopt("c:ftv").Parse(args, Name);
        if (parsed.Error is not null)
            return (null, parsed.Error);
        if (parsed.Operands.Count > 0)
            return (null, $"{Name}: unexpected argument '{parsed.Operands[0]}'");
        var options = new Options(null, false, false, false);
        foreach (var option in parsed.Options)
        {
            options = option.Name switch
            {
                'c' => options with { ConfigFile = option.Argument },
                'f' => options with { Foreground = true },
                't' => options with { TestOnly = true },
                _ => options with { Version = true },
            };
        }
        return (options, null);
    }

    public static Task<int> Run(ToolContext context, string[] args)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (options, error) = ParseArguments(args);
        if (options is null)
        {
            context.Err.WriteLine(error);
            context.Err.WriteLine(Usage);
            return Task.FromResult(1);
        }
        if (options.Version)
        {
            PrintVersion(context.Out);
            return Task.FromResult(0);
        }
        if (options.TestOnly)
            return Task.FromResult(TestConfig(context, options, HostsFileResolver.ForRoot(context.Paths), TimeProvider.System));
        return RunDaemon(context, options);
    }

    /// <summary>
    /// <c>corosync -t</c>: loads the config (the <c>-c</c> path as given, else the HA_ROOT default),
    /// prints every warning and error, and exits 0 when valid, 8 on config errors, 7 on logging errors.
    /// </summary>
    public static int TestConfig(ToolContext context, Options options, IAddressResolver resolver, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var file = options.ConfigFile ?? context.Paths.CorosyncConf;
        var result = CorosyncConfigLoader.LoadFile(file, context.Paths, resolver);
        var printer = new ConfigDiagnosticPrinter(context.Err, time);
        foreach (var warning in result.Warnings)
            printer.Print(warning);
        foreach (var error in result.Errors)
            printer.Print(error);
        var code = result.ExitCode;
        if (code == 0)
            printer.Log("notice", "Corosync Cluster Engine exiting normally");
        else if (result.Errors.Any(e => e.Stage == DiagnosticStage.Config))
            printer.Log("error", $"Corosync Cluster Engine exiting with status {code}.");
        return code;
    }

    /// <summary>
    /// Starts the daemon: loads and checks the config exactly as <c>-t</c> does (same messages and
    /// exit codes), then runs in the foreground (<c>-f</c>) or daemonizes (default).
    /// </summary>
    public static async Task<int> RunDaemon(ToolContext context, Options options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var paths = context.Paths;
        var file = options.ConfigFile ?? paths.CorosyncConf;
        if (!options.Foreground)
        {
            var args = new List<string> { "-f" };
            if (options.ConfigFile is not null)
                args.AddRange(["-c", Path.GetFullPath(options.ConfigFile)]);
            return await Cluster.Messaging.Daemon.DaemonHost.DaemonizeAsync(args, paths, context.Err).ConfigureAwait(false);
        }
        var resolver = HostsFileResolver.ForRoot(paths);
        var result = CorosyncConfigLoader.LoadFile(file, paths, resolver);
        var printer = new ConfigDiagnosticPrinter(context.Err, TimeProvider.System);
        foreach (var warning in result.Warnings)
            printer.Print(warning);
        foreach (var error in result.Errors)
            printer.Print(error);
        if (!result.Succeeded || result.ExitCode != 0)
        {
            if (result.Errors.Any(e => e.Stage == DiagnosticStage.Config))
                printer.Log("error", $"Corosync Cluster Engine exiting with status {result.ExitCode}.");
            return result.ExitCode == 0 ? 8 : result.ExitCode;
        }
        return await Cluster.Messaging.Daemon.DaemonHost.RunForegroundAsync(result.Config!, result.Paths!, paths, context.Err, context.GetEnv, resolver)
            .ConfigureAwait(false);
    }

    /// <summary>corosync -v's layout, with our name and version.</summary>
    public static void PrintVersion(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.WriteLine($"Corosync Cluster Engine (hacluster), version '{ProductVersion}'");
        output.WriteLine("Compatible with corosync.conf, authkey and cmap keys of Corosync 3.1.7");
        output.WriteLine();
        output.WriteLine("Built-in features: udpu udp crypto-on-udpu");
        output.WriteLine("Available crypto models: dotnet");
        output.WriteLine("Available compression models: none");
    }

    public static string ProductVersion =>
        typeof(CorosyncTool).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(CorosyncTool).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
