namespace Cluster.Tools.Fuzz;

/// <summary>The four targets, each built (corpus loaded) on first use, with the empty HA_ROOT the config target reads under.</summary>
public sealed class FuzzTargets(string? shared) : IDisposable
{
    private readonly Dictionary<string, FuzzTarget> _built = new(StringComparer.Ordinal);
    private readonly string _haRoot = Directory.CreateTempSubdirectory("cluster-fuzz-").FullName;

    public FuzzTarget Get(string name)
    {
        if (!_built.TryGetValue(name, out var target))
        {
            target = name switch
            {
                "config" => new ConfigFuzzTarget(FuzzCorpus.Config(shared), _haRoot),
                "cib" => new CibFuzzTarget(FuzzCorpus.Cib(shared)),
                "wire" => WireFuzzTarget.Create(),
                "ipc" => new IpcFuzzTarget(FuzzCorpus.Ipc()),
                _ => throw new ArgumentException($"unknown fuzz target '{name}'", nameof(name)),
            };
            _built[name] = target;
        }
        return target;
    }

    public void Dispose()
    {
        foreach (var target in _built.Values.OfType<IDisposable>()) target.Dispose();
        Directory.Delete(_haRoot, recursive: true);
    }
}
