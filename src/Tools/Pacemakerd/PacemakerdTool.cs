using System.Diagnostics;
using System.Globalization;
using Cluster.Common.Paths;
using Cluster.Crm.CibClient;
using Cluster.Crm.Daemon;
using Cluster.Tools.CommandLine;
using Cluster.Tools.Dispatch;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cluster.Tools.Pacemakerd;

/// <summary>
/// pacemakerd [-f]: the resource manager daemon (today: the replicated CIB manager). With -f it
/// runs in the foreground; otherwise it starts itself with -f in a new session and returns once
/// the pid file shows it running. SIGTERM/SIGINT leave the cluster cleanly. Everything is under HA_ROOT.
/// </summary>
public static class PacemakerdTool
{
    public static readonly ToolEntry Entry = new("pacemakerd", "Resource manager daemon (CIB manager) [-f foreground]", Run);

    public static string PidFile(HaPaths paths) => paths.Under("/run/pacemakerd.pid");

    /// <summary>Whether this node's pacemakerd runs (its pid file names a live process other than this one).</summary>
    public static bool Running(HaPaths paths) => RunningPid(PidFile(paths)) is not null;

    /// <summary>
    /// pacemakerd 2.1.5's command line. Unlike the real daemon (always in the foreground), ours
    /// daemonizes unless -f is given; the help keeps the real wording.
    /// </summary>
    public static GlibOptions Parser { get; } = new("pacemakerd",
        "pacemakerd - primary Pacemaker daemon that launches and monitors all subsidiary Pacemaker daemons",
    [
        new("output-as", null, GlibValue.Required, "Specify output format as one of: text (default), xml", "FORMAT", "output"),
        new("output-to", null, GlibValue.Required, "Specify file name for output (or \"-\" for stdout)", "DEST", "output"),
        new("text-fancy", null, GlibValue.None, "Use more highly formatted output (requires --output-as=text)", Group: "output"),
        new("features", 'F', GlibValue.None, "Display full version and list of features Pacemaker was built with"),
        new("foreground", 'f', GlibValue.None, "(Ignored) Pacemaker always runs in the foreground"),
        new("pid-file", 'p', GlibValue.Required, "(Ignored) Daemon pid file location", "FILE"),
        new("shutdown", 'S', GlibValue.None, "Instruct Pacemaker to shutdown on this machine"),
        new("standby", 's', GlibValue.None, "Start node in standby state"),
    ],
    [new("output", "Output Options:", "Show output help")],
    epilogue: "Report bugs to users@clusterlabs.org\n\n");

    public static async Task<int> Run(ToolContext ctx, string[] args)
    {
        if (!Parser.TryParse(ctx, args, out var parsed, out var exit))
            return exit;
        if (parsed.Value("output-as") is { } format && format != "text")
        {
            ctx.Err.WriteLine(format == "xml"
                ? "pacemakerd: --output-as=xml is not supported by this implementation"
                : $"pacemakerd: Error creating output format {format}: Unknown output format");
            return format == "xml" ? GlibOptions.ExitUsage : 1;
        }
        if (parsed.Has("features"))
        {
            // Only what this implementation has: it speaks to corosync 2 and later.
            ctx.Out.WriteLine($"Pacemaker {PacemakerDaemon.Version} (Build: hacluster)");
            ctx.Out.WriteLine($" Supporting v{CibOperations.FeatureSet}: corosync-ge-2");
            return 0;
        }
        if (parsed.Has("shutdown") || parsed.Has("standby"))
        {
            ctx.Err.WriteLine($"pacemakerd: --{(parsed.Has("shutdown") ? "shutdown" : "standby")} is not supported by this implementation (stop the daemon with SIGTERM)");
            return GlibOptions.ExitUsage;
        }
        var foreground = parsed.Has("foreground");
        var paths = ctx.Paths;
        var pidFile = PidFile(paths);
        if (RunningPid(pidFile) is { } other)
        {
            ctx.Err.WriteLine($"pacemakerd: already running (pid {other})");
            return 0;
        }
        return foreground ? await RunForegroundAsync(paths, pidFile).ConfigureAwait(false) : await DaemonizeAsync(pidFile, ctx.Err).ConfigureAwait(false);
    }

    private static async Task<int> RunForegroundAsync(HaPaths paths, string pidFile)
    {
        var host = System.Net.Dns.GetHostName().Split('.')[0];
        using var log = new PacemakerLog(Path.Combine(paths.PacemakerLogDir, "pacemaker.log"), host, Environment.ProcessId);
        Directory.CreateDirectory(Path.GetDirectoryName(pidFile)!);
        File.WriteAllText(pidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        try
        {
            var daemon = new PacemakerDaemon(paths, log);
            var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(15));
            var service = new DaemonService(daemon);
            builder.Services.AddSingleton<IHostedService>(service);
            using var app = builder.Build();
            service.Lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
            await app.RunAsync().ConfigureAwait(false);
            return service.ExitCode;
        }
        finally
        {
            try
            {
                if (File.Exists(pidFile) && File.ReadAllText(pidFile).Trim() == Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
                    File.Delete(pidFile);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<int> DaemonizeAsync(string pidFile, TextWriter stderr)
    {
        var exe = Environment.ProcessPath;
        if (exe is null || Path.GetFileNameWithoutExtension(exe) is not ("hacluster" or "pacemakerd"))
        {
            stderr.WriteLine("pacemakerd: cannot daemonize from this host process; use -f");
            return 1;
        }
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(exe);
        start.ArgumentList.Add("pacemakerd");
        start.ArgumentList.Add("-f");
        using var child = Process.Start(start) ?? throw new InvalidOperationException("could not start the daemon process");
        child.StandardInput.Close();
        var errors = child.StandardError.ReadToEndAsync();
        _ = child.StandardOutput.ReadToEndAsync();
        for (int i = 0; i < 300; i++)
        {
            if (child.HasExited)
            {
                stderr.Write(await errors.ConfigureAwait(false));
                return child.ExitCode;
            }
            if (RunningPid(pidFile) is not null) return 0;
            await Task.Delay(100).ConfigureAwait(false);
        }
        stderr.WriteLine("pacemakerd: the daemon did not report ready within 30 s");
        return 1;
    }

    private static int? RunningPid(string pidFile)
    {
        try
        {
            if (!File.Exists(pidFile)) return null;
            if (!int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId) return null;
            return Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The hosted service: runs the daemon until the host stops (SIGTERM), then lets it leave.</summary>
    private sealed class DaemonService(PacemakerDaemon daemon) : IHostedService
    {
        private readonly CancellationTokenSource _stop = new();
        private Task<int>? _run;

        public IHostApplicationLifetime? Lifetime { get; set; }

        public int ExitCode { get; private set; }

        public Task StartAsync(CancellationToken cancellationToken)
        {
            _run = Task.Run(async () =>
            {
                var code = await daemon.RunAsync(_stop.Token).ConfigureAwait(false);
                ExitCode = code;
                // The daemon ended on its own (corosync gone): stop the host too.
                Lifetime?.StopApplication();
                return code;
            }, CancellationToken.None);
            return Task.CompletedTask;
        }

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            if (_run is not null) ExitCode = await _run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
