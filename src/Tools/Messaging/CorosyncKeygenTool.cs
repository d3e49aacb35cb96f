using System.Globalization;
using Cluster.Common.Paths;
using Cluster.Messaging.Config;
using Cluster.Tools.Dispatch;

namespace Cluster.Tools.Messaging;

/// <summary>
/// <c>corosync-keygen [-k FILE] [-s SIZE] [-r RANDOMFILE] [-l] [-h]</c>: writes a fresh authkey
/// (256 bytes from the OS CSPRNG by default, 128..4096 allowed) with corosync-keygen 3.1.7's
/// messages and exit codes (1 options/random source, 2 create, 3 chmod, 4 write).
/// </summary>
public static class CorosyncKeygenTool
{
    public const string Name = "corosync-keygen";
    private const string DefaultRandomSource = "/dev/urandom";

    public sealed record Options(string? KeyFile, int Size, string? RandomFile, bool Help);

    public static ToolEntry Entry { get; } = new(Name, "Generate the cluster authentication key (authkey)", Run);

    private static readonly Dictionary<string, char> LongOptions = new(StringComparer.Ordinal)
    {
        ["key-file"] = 'k',
        ["size"] = 's',
        ["random-file"] = 'r',
        ["less-secure"] = 'l',
        ["help"] = 'h',
    };

    private const string Usage = """
        Usage: corosync-keygen [-k <keyfile>] [-s size] [-r <randomfile>] [-l] [-h]
             -k / --key-file=<filename> -  Write to the specified keyfile
                    instead of the default /etc/corosync/authkey.
             -r / --random-file -  Random number source file. Default is
                    the operating system's cryptographic random generator.
             -l / --less-secure - Not used, option is kept only
                    for compatibility.
             -s / --size -  Length of key.
             -h / --help -  Print basic usage.
        """;

    /// <summary>Parses the arguments; on error returns the text for stderr (null Options).</summary>
    public static (Options? Options, string? Error) ParseArguments(IReadOnlyList<string> args)
    {
        var parsed = new ShortOptions("k:s:r:lh", LongOptions).Parse(args, Name);
        if (parsed.Error is not null)
            return (null, parsed.Error);
        if (parsed.Operands.Count > 0)
            return (null, $"{Name}: unexpected argument '{parsed.Operands[0]}'");
        var options = new Options(null, AuthKeyFile.DefaultSize, null, false);
        foreach (var option in parsed.Options)
        {
            switch (option.Name)
            {
                case 'k':
                    options = options with { KeyFile = option.Argument };
                    break;
                case 's':
                    if (!int.TryParse(option.Argument, NumberStyles.None, CultureInfo.InvariantCulture, out var size)
                        || size < AuthKeyFile.MinimumSize || size > AuthKeyFile.MaximumSize)
                    {
                        return (null, $"{Name}: Unsupported key size (supported <{AuthKeyFile.MinimumSize},{AuthKeyFile.MaximumSize}>)\n");
                    }
                    options = options with { Size = size };
                    break;
                case 'r':
                    options = options with { RandomFile = option.Argument };
                    break;
                case 'h':
                    options = options with { Help = true };
                    break;
                default:
                    break; // -l: kept for compatibility, does nothing
            }
        }
        return (options, null);
    }

    public static Task<int> Run(ToolContext context, string[] args)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (options, error) = ParseArguments(args);
        if (options is null)
        {
            context.Err.WriteLine(error);
            if (!error!.Contains("Unsupported key size", StringComparison.Ordinal))
                context.Out.WriteLine("Error parsing command line options.");
            return Task.FromResult(1);
        }
        if (options.Help)
        {
            context.Out.WriteLine(Usage);
            return Task.FromResult(0);
        }
        return Task.FromResult(Generate(context, options));
    }

    public static int Generate(ToolContext context, Options options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var keyFile = options.KeyFile ?? context.Paths.AuthKey;
        context.Out.WriteLine("Corosync Cluster Engine Authentication key generator.");
        context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Gathering {options.Size * 8} bits for key from {options.RandomFile ?? DefaultRandomSource}."));

        byte[] key;
        try
        {
            if (options.RandomFile is null)
            {
                key = AuthKeyFile.Generate(options.Size);
            }
            else
            {
                using var source = File.OpenRead(options.RandomFile);
                key = AuthKeyFile.Generate(options.Size, source);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = e is EndOfStreamException ? "not enough data" : FileErrors.Reason(e, options.RandomFile ?? DefaultRandomSource);
            context.Err.WriteLine($"{Name}: Failed to open random source: {reason}");
            return 1;
        }

        try
        {
            AuthKeyFile.Write(keyFile, key);
            context.Out.WriteLine($"Writing corosync key to {keyFile}.");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var reason = FileErrors.Reason(e, keyFile);
            context.Err.WriteLine($"{Name}: Could not create {keyFile}: {reason}");
            return 2;
        }
        return 0;
    }
}
