namespace Cluster.Messaging.Simulation;

/// <summary>A tiny seeded PRNG whose sequence is fixed forever (System.Random's may change between runtimes).</summary>
public sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public long Range(long min, long max) => max <= min ? min : min + (long)(Next() % (ulong)(max - min));

    public int Range(int min, int max) => (int)Range((long)min, max);

    public bool Chance(double p) => p > 0 && NextDouble() < p;

    public static ulong Mix(ulong a, ulong b) => new SplitMix64(a * 0x9E3779B97F4A7C15UL ^ b).Next();
}
