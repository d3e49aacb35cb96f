using System.Collections.Immutable;

namespace Cluster.Messaging.Config;

/// <summary>
/// A corosync.conf file after the grammar pass: every key under its cmap path, typed, in file
/// order (a repeated key appears twice; the last one wins), plus the tolerance warnings.
/// </summary>
public sealed record ParsedConf(string File, ImmutableArray<ConfigKey> Keys, ImmutableArray<ConfigDiagnostic> Warnings);

/// <summary>The grammar pass's outcome: a <see cref="ParsedConf"/> or the first error (as corosync stops at it).</summary>
public sealed record ConfParseResult(ParsedConf? Conf, ConfigDiagnostic? Error)
{
    public bool Succeeded => Conf is not null;
}
