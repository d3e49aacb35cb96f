namespace Cluster.Tools.Fuzz;

/// <summary>How a target took one input: both are fine; anything thrown out of <see cref="FuzzTarget.Run"/> is a finding.</summary>
public enum FuzzVerdict
{
    Accepted,
    Rejected,
}

/// <summary>
/// One parser or decoder under fuzzing: makes the input for a given random stream (generated or
/// mutated from its corpus) and runs it. The rule: a clear error (an expected rejection) or
/// success; any other exception, an input over the time or memory bound, is a finding.
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>Inputs larger than this are cut, so memory and time stay bounded by the target, not by mutation.</summary>
    public const int MaxInputBytes = 1 << 20;

    public abstract string Name { get; }

    /// <summary>The input for one random stream; the same stream gives the same input (replay).</summary>
    public abstract byte[] NextInput(Random random);

    /// <summary>Runs one input; throws only on a finding.</summary>
    public abstract FuzzVerdict Run(byte[] input);
}
