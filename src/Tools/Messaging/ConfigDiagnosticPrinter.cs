using System.Globalization;
using Cluster.Messaging.Config;

namespace Cluster.Tools.Messaging;

/// <summary>
/// Prints config diagnostics in corosync's layouts: grammar errors as <c>parser error: FILE:LINE: msg</c>,
/// whole-config problems as MAIN log lines (<c>Nov 21 22:34:23.769 error   [MAIN  ] msg</c>), logging
/// setup errors bare. We add the <c>file:line</c> where corosync has none.
/// </summary>
public sealed class ConfigDiagnosticPrinter(TextWriter err, TimeProvider time)
{
    public void Print(ConfigDiagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        switch (diagnostic.Stage)
        {
            case DiagnosticStage.Read:
                err.WriteLine(diagnostic.Message);
                break;
            case DiagnosticStage.Parser:
                err.WriteLine($"parser error: {diagnostic.Location}: {diagnostic.Message}");
                break;
            case DiagnosticStage.Logging:
                err.WriteLine($"{diagnostic.Message}{Where(diagnostic)}");
                break;
            default:
                Log(diagnostic.IsError ? "error" : "warning", diagnostic.Message + Where(diagnostic));
                break;
        }
    }

    /// <summary>A line as corosync's MAIN subsystem logs it on stderr.</summary>
    public void Log(string priority, string message) =>
        err.WriteLine($"{Timestamp()} {priority,-7} [MAIN  ] {message}");

    private static string Where(ConfigDiagnostic diagnostic) =>
        diagnostic.Line > 0 || !diagnostic.IsError ? $" ({diagnostic.Location})" : "";

    private string Timestamp() =>
        time.GetLocalNow().ToString("MMM dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
}
