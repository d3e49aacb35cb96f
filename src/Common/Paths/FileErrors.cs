namespace Cluster.Common.Paths;

/// <summary>
/// The strerror-style reason for a failed file operation, as C tools print it. .NET reports a
/// directory opened as a file as "access denied", which read as "Permission denied" and sent
/// administrators after the wrong problem.
/// </summary>
public static class FileErrors
{
    public static string Reason(Exception error, string path)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (error is FileNotFoundException or DirectoryNotFoundException)
            return "No such file or directory";
        if (Directory.Exists(path))
            return "Is a directory";
        if (error is UnauthorizedAccessException)
            return "Permission denied";
        return error.Message;
    }
}
