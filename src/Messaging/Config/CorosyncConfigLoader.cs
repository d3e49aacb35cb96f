using System.Collections.Immutable;
using Cluster.Common.Paths;

namespace Cluster.Messaging.Config;

/// <summary>
/// The config layer's entry point for the daemon and the tools: file -> parse -> model ->
/// validation -> (model, warnings) or errors, with HA_ROOT applied to the paths it names.
/// </summary>
public static class CorosyncConfigLoader
{
    /// <param name="file">The config file, used as given (a command-line path); use <see cref="HaPaths.CorosyncConf"/> for the default.</param>
    /// <param name="paths">HA_ROOT, applied to absolute paths inside the file.</param>
    /// <param name="resolver">Resolves ring addresses given as names.</param>
    public static ConfigLoadResult LoadFile(string file, HaPaths paths, IAddressResolver resolver)
    {
        string text;
        try
        {
            text = ReadCapped(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is ConfigTooLargeException ? e.Message : FileErrors.Reason(e, file);
            return new ConfigLoadResult(null, null,
                [new ConfigDiagnostic(DiagnosticSeverity.Error, DiagnosticStage.Read, file, 0, $"Can't read file {file}: {reason}")]);
        }
        return LoadText(text, file, paths, resolver);
    }

    public static ConfigLoadResult LoadText(string text, string file, HaPaths paths, IAddressResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var parsed = CorosyncConfParser.Parse(text, file);
        if (parsed.Conf is not { } conf)
            return new ConfigLoadResult(null, null, [parsed.Error!]);
        var diagnostics = ImmutableArray.CreateBuilder<ConfigDiagnostic>();
        var accounts = new UidGidResolver(paths);
        var (confKeys, accountError) = accounts.Resolve(conf.Keys, file);
        if (accountError is not null)
            return new ConfigLoadResult(null, null, [accountError]);
        var included = ReadUidGidDirectory(paths.Under(UidGidDirectory), diagnostics, accounts);
        if (diagnostics.Any(d => d.IsError))
            return new ConfigLoadResult(null, null, diagnostics.ToImmutable());
        var config = CorosyncConfigBuilder.Build(confKeys.AddRange(included));
        diagnostics.AddRange(conf.Warnings);
        diagnostics.AddRange(CorosyncConfigValidator.Validate(config, conf, resolver));

        var configPaths = ResolvePaths(config, paths);
        if (config.Totem.CryptoEnabled && config.Totem.Key is null && !diagnostics.Any(d => d.IsError)
            && AuthKeyFile.Check(configPaths.KeyFile) is { } keyProblem)
        {
            diagnostics.Add(ConfigDiagnostic.ConfigError(file, 0, keyProblem));
        }
        if (config.Totem.Key is { } inlineKey && config.Totem.CryptoEnabled)
        {
            if (inlineKey.Length < AuthKeyFile.MinimumSize)
                diagnostics.Add(ConfigDiagnostic.ConfigError(file, 0, "key is too short"));
            else if (inlineKey.Length > AuthKeyFile.MaximumSize)
                diagnostics.Add(ConfigDiagnostic.ConfigError(file, 0, "key is too long"));
        }
        if (config.Logging.ToLogfile && configPaths.LogFile is { } openable && Directory.Exists(openable))
        {
            // corosync opens the logfile while checking and fails so (exit 7); the daemon would too.
            var line = conf.Keys.LastOrDefault(k => k.Path == "logging.logfile")?.Line ?? 0;
            diagnostics.Add(ConfigDiagnostic.LoggingError(file, line,
                $"parse error in config: Can't open logfile '{config.Logging.LogFile}' for reason: Is a directory (21)."));
        }
        else if (config.Logging.ToLogfile && configPaths.LogFile is { } logFile
            && Path.GetDirectoryName(logFile) is { Length: > 0 } logDir && !Directory.Exists(logDir))
        {
            diagnostics.Add(ConfigDiagnostic.Warning(file, 0,
                $"logfile '{logFile}': directory {logDir} does not exist yet (corosync 3.1 -t refuses to start: \"Can't open logfile\")"));
        }
        return new ConfigLoadResult(config, configPaths, diagnostics.ToImmutable());
    }

    /// <summary>A corosync.conf is a few KiB; anything past this is not one (<c>-c /dev/zero</c> would otherwise grow until memory runs out).</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    /// <summary>The text of <paramref name="file"/>, read with the <see cref="MaxFileBytes"/> cap.</summary>
    private static string ReadCapped(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 64 * 1024);
        var buffer = new byte[64 * 1024];
        using var bytes = new MemoryStream();
        int n;
        while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (bytes.Length + n > MaxFileBytes)
                throw new ConfigTooLargeException($"more than {MaxFileBytes / (1024 * 1024)} MiB, not a corosync.conf");
            bytes.Write(buffer, 0, n);
        }
        var text = System.Text.Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
        return text.StartsWith('\uFEFF') ? text[1..] : text; // as File.ReadAllText: a UTF-8 BOM is not text
    }

    private sealed class ConfigTooLargeException(string message) : IOException(message);

    /// <summary>corosync's only include mechanism: every file here may add <c>uidgid { uid: ... gid: ... }</c> entries.</summary>
    public const string UidGidDirectory = "/etc/corosync/uidgid.d";

    /// <summary>
    /// The uidgid keys of every file in <paramref name="directory"/> (name order), parsed with the
    /// corosync.conf grammar; other sections there are ignored with a warning.
    /// </summary>
    public static ImmutableArray<ConfigKey> ReadUidGidDirectory(string directory, ImmutableArray<ConfigDiagnostic>.Builder diagnostics, UidGidResolver accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (!Directory.Exists(directory))
            return [];
        var keys = ImmutableArray.CreateBuilder<ConfigKey>();
        foreach (var file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            string text;
            try
            {
                text = ReadCapped(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                diagnostics.Add(new ConfigDiagnostic(DiagnosticSeverity.Error, DiagnosticStage.Read, file, 0, $"Can't read file {file}: {e.Message}"));
                continue;
            }
            var parsed = CorosyncConfParser.Parse(text, file);
            if (parsed.Conf is not { } conf)
            {
                diagnostics.Add(parsed.Error!);
                continue;
            }
            diagnostics.AddRange(conf.Warnings);
            var (resolved, accountError) = accounts.Resolve(conf.Keys, file);
            if (accountError is not null)
            {
                diagnostics.Add(accountError);
                continue;
            }
            foreach (var key in resolved)
            {
                if (key.Path.StartsWith("uidgid.", StringComparison.Ordinal))
                    keys.Add(key);
                else
                    diagnostics.Add(ConfigDiagnostic.Warning(file, key.Line, $"only uidgid sections are read from {directory}: '{key.Path}' ignored"));
            }
        }
        return keys.ToImmutable();
    }

    /// <summary>Key file, logfile and state directory of <paramref name="config"/>, under HA_ROOT when absolute.</summary>
    public static ConfigPaths ResolvePaths(CorosyncConfig config, HaPaths paths)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(paths);
        string Map(string path) => Path.IsPathRooted(path) ? paths.Under(path) : path;
        return new ConfigPaths(
            config.Totem.KeyFile is { } keyFile ? Map(keyFile) : paths.AuthKey,
            config.Logging.LogFile is { } logFile ? Map(logFile) : null,
            Map(config.System.StateDir));
    }
}
