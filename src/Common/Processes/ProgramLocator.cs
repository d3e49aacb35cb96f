namespace Cluster.Common.Processes;

/// <summary>Finds a program the way execvp would, so a missing one is reported before any fork.</summary>
public static class ProgramLocator
{
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The full path of <paramref name="program"/>, or null when it is not an executable file.</summary>
    public static string? Find(string program, string? searchPath)
    {
        if (program.Length == 0)
            return null;
        if (program.Contains('/'))
            return IsExecutableFile(program) ? Path.GetFullPath(program) : null;
        foreach (var dir in (searchPath ?? DefaultPath).Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (IsExecutableFile(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>
    /// Whether <paramref name="path"/> is (or links to) an executable regular file. A dangling or
    /// looping symlink, or one to a directory, is not; real /usr/sbin and /etc/init.d have such links.
    /// </summary>
    public static bool IsExecutableFile(string path)
    {
        if (OperatingSystem.IsWindows())
            return File.Exists(path); // the stack targets Linux; keeps the analyzer's platform check satisfied
        try
        {
            // File.Exists is true for a dangling link itself; the mode follows the link to its target.
            if (!File.Exists(path) || Directory.Exists(path))
                return false;
            var mode = File.GetUnixFileMode(path);
            return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
