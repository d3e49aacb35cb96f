namespace Cluster.Messaging.Config;

/// <summary>The <c>logging { }</c> section with corosync 3.1 defaults.</summary>
public sealed record LoggingConfig(ConfSettings Values, ValueList<LoggerSubsysConfig> Subsystems)
{
    public string Timestamp => Values.Str("timestamp") ?? "hires";
    public bool FileLine => Values.Flag("fileline") ?? false;
    public bool FunctionName => Values.Flag("function_name") ?? false;
    public bool Blackbox => Values.Flag("blackbox") ?? true;
    public bool ToStderr => Values.Flag("to_stderr") ?? true;
    public bool ToLogfile => Values.Flag("to_logfile") ?? false;
    public bool ToSyslog => Values.Flag("to_syslog") ?? true;

    /// <summary>The logfile as written in the file (absolute; lives under HA_ROOT when used).</summary>
    public string? LogFile => Values.Str("logfile");

    public string LogfilePriority => Values.Str("logfile_priority") ?? "info";
    public string SyslogFacility => Values.Str("syslog_facility") ?? "daemon";
    public string SyslogPriority => Values.Str("syslog_priority") ?? "info";
    public string Debug => Values.Str("debug") ?? "off";
}
