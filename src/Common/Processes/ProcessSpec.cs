namespace Cluster.Common.Processes;

/// <summary>
/// What to run: a program and its literal argument vector (never a shell command line), its
/// environment, stdin text, working directory, timeout and output cap.
/// </summary>
public sealed record ProcessSpec(string Program, IReadOnlyList<string> Arguments)
{
    /// <summary>Variables set on top of (or instead of, see <see cref="InheritEnvironment"/>) ours.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>When false the child sees only <see cref="Environment"/> (plus a default PATH).</summary>
    public bool InheritEnvironment { get; init; } = true;

    /// <summary>Written to the child's stdin, which is then closed; null gives an empty stdin.</summary>
    public string? StandardInput { get; init; }

    public string? WorkingDirectory { get; init; }

    /// <summary>Null means no limit. At the limit the whole process group is killed.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Between SIGTERM and SIGKILL of the group once the timeout has passed.</summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Bytes kept of stdout and of stderr each; the rest is read and dropped.</summary>
    public int OutputLimitBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// How long to keep reading output after the program exited: a daemon it left behind may
    /// hold the pipes open forever, and its output is no longer ours.
    /// </summary>
    public TimeSpan DrainAfterExit { get; init; } = TimeSpan.FromSeconds(1);
}
