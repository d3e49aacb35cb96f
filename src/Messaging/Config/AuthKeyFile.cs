using System.Globalization;
using System.Security.Cryptography;
using Cluster.Common.Paths;

namespace Cluster.Messaging.Config;

/// <summary>
/// The authkey: raw random bytes, 128..4096 long (knet's bounds), 256 by default (corosync-keygen
/// 3.1.7). Written mode 0400 in a directory created if missing.
/// </summary>
public static class AuthKeyFile
{
    public const int MinimumSize = 128;
    public const int MaximumSize = 4096;
    public const int DefaultSize = 256;

    /// <summary>Fresh key material from the OS CSPRNG, or from <paramref name="randomSource"/> when given (keygen -r).</summary>
    public static byte[] Generate(int size, Stream? randomSource = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, MinimumSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(size, MaximumSize);
        if (randomSource is null)
            return RandomNumberGenerator.GetBytes(size);
        var key = new byte[size];
        randomSource.ReadExactly(key);
        return key;
    }

    /// <summary>
    /// Writes <paramref name="key"/> to <paramref name="path"/> (created or truncated with mode 0600,
    /// then 0400, like corosync-keygen), creating the parent directory (0755) if needed.
    /// </summary>
    public static void Write(string path, ReadOnlySpan<byte> key)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("authkey files need Unix file modes");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
        // A previous key is 0400: make it writable for the truncate, as O_TRUNC as root would.
        if (File.Exists(path))
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(path, options))
            stream.Write(key);
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
    }

    /// <summary>
    /// Checks the key file as corosync does at startup: it must open and hold at least 128 bytes
    /// (at most 4096 are read). Returns the message corosync logs, or null when usable.
    /// </summary>
    public static string? Check(string path)
    {
        long length;
        try
        {
            using var stream = File.OpenRead(path);
            length = stream.Length;
        }
        catch (FileNotFoundException)
        {
            return $"Could not open {path}: No such file or directory";
        }
        catch (DirectoryNotFoundException)
        {
            return $"Could not open {path}: No such file or directory";
        }
        catch (UnauthorizedAccessException e)
        {
            // corosync: "Could not read X: Is a directory" for a directory.
            return Directory.Exists(path) ? $"Could not read {path}: Is a directory" : $"Could not open {path}: {FileErrors.Reason(e, path)}";
        }
        catch (IOException e)
        {
            return $"Could not open {path}: {e.Message}";
        }
        if (length < MinimumSize)
        {
            return string.Create(CultureInfo.InvariantCulture,
                $"Could only read {length * 8} bits of minimum {MinimumSize * 8} bits from {path}.");
        }
        return null;
    }
}
