using System.Globalization;
using Serilog;
using Serilog.Events;

namespace Cluster.Crm.Daemon;

/// <summary>
/// pacemaker.log in Pacemaker's layout, through Serilog:
/// <c>Nov 21 22:36:59.381 node2 pacemaker-based     [18500] (node_left) 	info: text</c>
/// (daemon name padded to 20, the function that logs in parentheses, a tab, the level).
/// </summary>
public sealed class PacemakerLog : IDisposable
{
    private readonly Serilog.Core.Logger _logger;

    public PacemakerLog(string? logFile, string hostName, int pid)
    {
        var config = new LoggerConfiguration()
            .MinimumLevel.Information()
            .Enrich.WithProperty("Pid", pid.ToString(CultureInfo.InvariantCulture))
            .Enrich.WithProperty("Host", hostName);
        const string template = "{Timestamp:MMM dd HH:mm:ss.fff} {Host:l} {Daemon:l}[{Pid:l}] ({Function:l}) \t{Prio:l}: {Text:l}{NewLine}";
        if (logFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
            config = config.WriteTo.File(logFile, outputTemplate: template, formatProvider: CultureInfo.InvariantCulture,
                flushToDiskInterval: TimeSpan.FromMilliseconds(200), shared: true);
        }
        _logger = config.CreateLogger();
    }

    /// <param name="daemon">pacemakerd, pacemaker-based, ...</param>
    /// <param name="function">Pacemaker's function name for the message (keeps logs greppable alike).</param>
    /// <param name="level">info, notice, warning, error, crit.</param>
    public void Write(string daemon, string function, string level, string text)
    {
        var lvl = level switch
        {
            "debug" or "trace" => LogEventLevel.Debug,
            "info" or "notice" => LogEventLevel.Information,
            "warning" => LogEventLevel.Warning,
            "error" => LogEventLevel.Error,
            _ => LogEventLevel.Fatal,
        };
        _logger.ForContext("Daemon", daemon.PadRight(20)).ForContext("Function", function).ForContext("Prio", level)
            .Write(lvl, "{Text:l}", text);
    }

    public void Dispose() => _logger.Dispose();
}
