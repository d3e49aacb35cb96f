namespace Cluster.Messaging.Config;

/// <summary>How bad a diagnostic is.</summary>
public enum DiagnosticSeverity
{
    Warning,
    Error,
}

/// <summary>
/// Which stage of corosync reports the problem; decides the printed layout and the exit code
/// (the real daemon: parser and config errors exit 8, logging setup errors exit 7).
/// </summary>
public enum DiagnosticStage
{
    /// <summary>Grammar and per-key checks: printed <c>parser error: FILE:LINE: message</c>.</summary>
    Parser,
    /// <summary>Whole-config checks: printed as a MAIN log line (<c>parse error in config: ...</c>).</summary>
    Config,
    /// <summary>Logging section checks: printed bare, exit status 7.</summary>
    Logging,
    /// <summary>The file cannot be read: printed bare (<c>Can't read file ...</c>).</summary>
    Read,
}

/// <summary>One error or warning about a config file; <see cref="Line"/> 0 means "no single line".</summary>
public sealed record ConfigDiagnostic(DiagnosticSeverity Severity, DiagnosticStage Stage, string File, int Line, string Message)
{
    public static ConfigDiagnostic ParserError(string file, int line, string message) =>
        new(DiagnosticSeverity.Error, DiagnosticStage.Parser, file, line, message);

    public static ConfigDiagnostic ConfigError(string file, int line, string message) =>
        new(DiagnosticSeverity.Error, DiagnosticStage.Config, file, line, message);

    public static ConfigDiagnostic LoggingError(string file, int line, string message) =>
        new(DiagnosticSeverity.Error, DiagnosticStage.Logging, file, line, message);

    public static ConfigDiagnostic Warning(string file, int line, string message) =>
        new(DiagnosticSeverity.Warning, DiagnosticStage.Config, file, line, message);

    public bool IsError => Severity == DiagnosticSeverity.Error;

    /// <summary>Where, as <c>file:line</c> (or just the file).</summary>
    public string Location => Line > 0 ? $"{File}:{Line}" : File;

    public override string ToString() => $"{Location}: {Message}";
}
