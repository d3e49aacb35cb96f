using System.Collections.Immutable;

namespace Cluster.Messaging.Config;

/// <summary>The files a config refers to, with HA_ROOT applied (absolute paths from the file live under it).</summary>
public sealed record ConfigPaths(string KeyFile, string? LogFile, string StateDir);

/// <summary>A loaded config with its warnings, or the errors that stop it.</summary>
public sealed record ConfigLoadResult(CorosyncConfig? Config, ConfigPaths? Paths, ImmutableArray<ConfigDiagnostic> Diagnostics)
{
    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => d.IsError);
    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => !d.IsError);
    public bool Succeeded => Config is not null && !Errors.Any();

    /// <summary>corosync's exit status: 0 valid, 7 logging setup errors only, 8 any other config error.</summary>
    public int ExitCode =>
        Succeeded ? 0 : Errors.Any(e => e.Stage != DiagnosticStage.Logging) ? 8 : 7;
}
