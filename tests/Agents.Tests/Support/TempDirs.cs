namespace Cluster.Agents.Tests.Support;

/// <summary>Temporary directories of one test, removed when the test ends.</summary>
public sealed class TempDirs : IDisposable
{
    private readonly List<string> _dirs = [];

    public string New()
    {
        var dir = Path.Combine(Path.GetTempPath(), "agents-test-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(dir);
        _dirs.Add(dir);
        return dir;
    }

    public void Dispose()
    {
        foreach (var dir in _dirs.Where(Directory.Exists))
            Directory.Delete(dir, recursive: true);
    }
}
