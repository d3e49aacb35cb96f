using System.Globalization;
using Cluster.Messaging.Config;
using Microsoft.Extensions.Logging;
using Serilog;
using Serilog.Events;

namespace Cluster.Messaging.Daemon;

/// <summary>
/// The daemon's log in corosync's layouts, through Serilog: the log file gets
/// <c>Nov 21 22:32:08.123 [pid] host corosync notice  [MAIN  ] text</c>, stderr the same without
/// <c>[pid] host corosync</c>. Priorities are corosync's (debug, info, notice, warning, error, crit).
/// </summary>
public sealed class DaemonLog : IDisposable
{
    private readonly Serilog.Core.Logger _logger;
    private readonly bool _debug;

    public DaemonLog(LoggingConfig logging, string? logFile, TextWriter? stderr, string hostName, int pid)
    {
        ArgumentNullException.ThrowIfNull(logging);
        _debug = logging.Debug is "on" or "trace";
        var stamp = logging.Timestamp switch
        {
            "off" => "",
            "on" => "{Timestamp:MMM dd HH:mm:ss} ",
            _ => "{Timestamp:MMM dd HH:mm:ss.fff} ",
        };
        var config = new LoggerConfiguration()
            .MinimumLevel.Verbose()
            .Enrich.WithProperty("Pid", pid.ToString(CultureInfo.InvariantCulture))
            .Enrich.WithProperty("Host", hostName);
        if (logging.ToLogfile && logFile is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(logFile)!);
            config = config.WriteTo.File(logFile, outputTemplate: stamp + "[{Pid:l}] {Host:l} corosync {Prio:l} [{Subsys:l}] {Text:l}{NewLine}",
                formatProvider: CultureInfo.InvariantCulture, flushToDiskInterval: TimeSpan.FromMilliseconds(200), shared: true);
        }
        if (logging.ToStderr && stderr is not null)
            config = config.WriteTo.Sink(new WriterSink(stderr,
                new Serilog.Formatting.Display.MessageTemplateTextFormatter(stamp + "{Prio:l} [{Subsys:l}] {Text:l}{NewLine}", CultureInfo.InvariantCulture)));
        _logger = config.CreateLogger();
    }

    /// <summary>Writes one line; <paramref name="priority"/> is corosync's name, <paramref name="subsystem"/> its tag.</summary>
    public void Write(string priority, string subsystem, string text)
    {
        if (priority == "debug" && !_debug)
            return;
        var level = priority switch
        {
            "debug" => LogEventLevel.Debug,
            "info" or "notice" => LogEventLevel.Information,
            "warning" => LogEventLevel.Warning,
            "error" => LogEventLevel.Error,
            _ => LogEventLevel.Fatal,
        };
        _logger.ForContext("Prio", priority.PadRight(7)).ForContext("Subsys", subsystem.PadRight(6)).Write(level, "{Text:l}", text);
    }

    public void Notice(string subsystem, string text) => Write("notice", subsystem, text);

    public void Info(string subsystem, string text) => Write("info", subsystem, text);

    /// <summary>corosync's priority for a Microsoft.Extensions.Logging level (Information is notice: the cores log their notices so).</summary>
    public static string Priority(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "debug",
        LogLevel.Information => "notice",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        _ => "crit",
    };

    /// <summary>An ILogger for a component (Totem, transport) that logs under <paramref name="subsystem"/>.</summary>
    public Microsoft.Extensions.Logging.ILogger For(string subsystem) => new Adapter(this, subsystem, null);

    /// <summary>
    /// Like <see cref="For"/>, but Totem's membership lines are held back until
    /// <see cref="FlushMembershipLines"/>: corosync prints the quorum service's `Sync members` lines
    /// first, and Totem reports the new ring before its configuration reaches the services.
    /// </summary>
    public Microsoft.Extensions.Logging.ILogger ForTotem(string subsystem) => new Adapter(this, subsystem, _heldBack);

    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Priority, string Subsystem, string Text)> _heldBack = new();

    /// <summary>Writes the held-back membership lines (after the services logged their sync start).</summary>
    public void FlushMembershipLines()
    {
        while (_heldBack.TryDequeue(out var line))
            Write(line.Priority, line.Subsystem, line.Text);
    }

    public void Dispose() => _logger.Dispose();

    /// <summary>Writes formatted events to a TextWriter (stderr, or a test's writer), one line at a time.</summary>
    private sealed class WriterSink(TextWriter writer, Serilog.Formatting.ITextFormatter formatter) : Serilog.Core.ILogEventSink
    {
        private readonly Lock _gate = new();

        public void Emit(LogEvent logEvent)
        {
            var line = new StringWriter(CultureInfo.InvariantCulture);
            formatter.Format(logEvent, line);
            lock (_gate)
            {
                writer.Write(line.ToString());
                writer.Flush();
            }
        }
    }

    private sealed class Adapter(DaemonLog log, string subsystem,
        System.Collections.Concurrent.ConcurrentQueue<(string Priority, string Subsystem, string Text)>? heldBack) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception);
            if (exception is not null)
                text += ": " + exception.Message;
            if (heldBack is not null && (text.StartsWith("A new membership (", StringComparison.Ordinal)
                    || text.StartsWith("Failed to receive the leave message", StringComparison.Ordinal)))
                heldBack.Enqueue((Priority(logLevel), subsystem, text));
            else
                log.Write(Priority(logLevel), subsystem, text);
        }
    }
}
