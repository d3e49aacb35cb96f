namespace Cluster.Messaging.Config;

/// <summary>One <c>logging { logger_subsys { subsys: NAME ... } }</c> block: overrides for one subsystem.</summary>
public sealed record LoggerSubsysConfig(string Subsys, ConfSettings Values)
{
    public string? Debug => Values.Str("debug");
}
