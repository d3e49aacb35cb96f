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

    public static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
            return false;
        if (OperatingSystem.IsWindows())
            return true; // the stack targets Linux; keeps the analyzer's platform check satisfied
        var mode = File.GetUnixFileMode(path);
        return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
    }
}
