using System.Diagnostics;
using System.Globalization;
using Cluster.Common.Paths;
using Cluster.Crm.Daemon;
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

    public static async Task<int> Run(ToolContext ctx, string[] args)
    {
        bool foreground = false;
        foreach (var a in args)
        {
            switch (a)
            {
                case "-f" or "--foreground": foreground = true; break;
                case "-?" or "-h" or "--help":
                    ctx.Out.WriteLine("Usage: pacemakerd [-f]   start the resource manager (-f: stay in the foreground)");
                    return 0;
                case "-$" or "--version":
                    ctx.Out.WriteLine($"Pacemaker {PacemakerDaemon.Version}");
                    return 0;
                default:
                    ctx.Err.WriteLine($"pacemakerd: unrecognized option '{a}'");
                    return 64;
            }
        }
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
