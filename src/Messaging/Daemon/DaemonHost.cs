using System.Diagnostics;
using System.Globalization;
using Cluster.Common.Paths;
using Cluster.Messaging.Config;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Cluster.Messaging.Daemon;

/// <summary>
/// Runs the daemon as a process: pid file, log, Microsoft.Extensions.Hosting lifetime (SIGTERM /
/// SIGINT stop it gracefully: it leaves the ring first), exit codes as corosync's (0 clean,
/// 8 config, 15 runtime setup, 18 already running).
/// </summary>
public static class DaemonHost
{
    public const int ExitConfig = 8;
    public const int ExitAlreadyRunning = 18;
    public const string Version = "3.1.7";

    public static string PidFile(HaPaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return paths.Under("/run/corosync.pid");
    }

    /// <summary>The daemon in the foreground, with a loaded and validated config.</summary>
    public static async Task<int> RunForegroundAsync(CorosyncConfig config, ConfigPaths configPaths, HaPaths paths, TextWriter stderr,
        Func<string, string?> getEnv, IAddressResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(configPaths);
        var pidFile = PidFile(paths);
        if (RunningPid(pidFile) is { } other)
        {
            stderr.WriteLine($"Another Corosync instance is already running (pid {other}).");
            return ExitAlreadyRunning;
        }
        var host = System.Net.Dns.GetHostName();
        using var log = new DaemonLog(config.Logging, configPaths.LogFile, stderr, host.Split('.')[0], Environment.ProcessId);
        log.Notice("MAIN  ", $"Corosync Cluster Engine {Version} starting up");
        log.Info("MAIN  ", "Corosync built-in features: hacluster udpu udp knet-style crypto systemd");

        byte[]? authKey = null;
        if (config.Totem.CryptoEnabled)
        {
            if (config.Totem.Key is { } inline)
                authKey = System.Text.Encoding.UTF8.GetBytes(inline);
            else if (AuthKeyFile.Check(configPaths.KeyFile) is { } problem)
                return Fail(log, problem, ExitConfig);
            else
                authKey = File.ReadAllBytes(configPaths.KeyFile).AsSpan(0, (int)Math.Min(new FileInfo(configPaths.KeyFile).Length, AuthKeyFile.MaximumSize)).ToArray();
        }
        DaemonSetup setup;
        try
        {
            setup = DaemonSetup.From(config, resolver, host, authKey);
        }
        catch (DaemonStartupException e)
        {
            return Fail(log, e.Message, e.ExitCode);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(pidFile)!);
        File.WriteAllText(pidFile, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
        try
        {
            var daemon = new CorosyncDaemon(config, setup, paths, configPaths, log, TimeProvider.System, getEnv);
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
                if (RunningPid(pidFile) is null || File.ReadAllText(pidFile).Trim() == Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
                    File.Delete(pidFile);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// Default mode: start ourselves with -f in a new session, wait until the child wrote its pid
    /// file (ready) or exited (its exit code), and return.
    /// </summary>
    public static async Task<int> DaemonizeAsync(IReadOnlyList<string> foregroundArgs, HaPaths paths, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(foregroundArgs);
        var exe = Environment.ProcessPath;
        if (exe is null || Path.GetFileNameWithoutExtension(exe) is not ("hacluster" or "corosync"))
        {
            stderr.WriteLine("corosync: cannot daemonize from this host process; use -f");
            return 1;
        }
        var pidFile = PidFile(paths);
        if (RunningPid(pidFile) is { } other)
        {
            stderr.WriteLine($"Another Corosync instance is already running (pid {other}).");
            return ExitAlreadyRunning;
        }
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(exe);
        start.ArgumentList.Add("corosync");
        foreach (var a in foregroundArgs)
            start.ArgumentList.Add(a);
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
            if (RunningPid(pidFile) is not null)
                return 0;
            await Task.Delay(100).ConfigureAwait(false);
        }
        stderr.WriteLine("corosync: the daemon did not report ready within 30 s");
        return 1;
    }

    /// <summary>The pid in the pid file when that process still runs.</summary>
    public static int? RunningPid(string pidFile)
    {
        try
        {
            if (!int.TryParse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId)
                return null;
            return Directory.Exists("/proc/" + pid.ToString(CultureInfo.InvariantCulture)) ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static int Fail(DaemonLog log, string message, int code)
    {
        log.Write("error", "MAIN  ", message);
        log.Write("error", "MAIN  ", $"Corosync Cluster Engine exiting with status {code} at main.c:1417.");
        return code;
    }

    private sealed class DaemonService(CorosyncDaemon daemon) : BackgroundService
    {
        public IHostApplicationLifetime? Lifetime { get; set; }

        public int ExitCode { get; private set; }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            ExitCode = await daemon.RunAsync(stoppingToken).ConfigureAwait(false);
            Lifetime?.StopApplication();
        }
    }
}
