namespace Cluster.Messaging.Crypto;

/// <summary>What a replay window says about a counter.</summary>
public enum ReplayVerdict
{
    Fresh,
    Replay,
    TooOld,
}

/// <summary>
/// Sliding anti-replay window over one sender's 64-bit packet counters: the highest counter seen
/// plus a bitmap of the <see cref="Size"/> counters below it. Check before authenticating
/// (cheap early drop) and <see cref="Commit"/> only after the tag verified, so a forged packet
/// can never move the window.
/// </summary>
public sealed class ReplayWindow
{
    public const int Size = 1024;
    private const int Words = Size / 64;
    private readonly ulong[] _bits = new ulong[Words];
    private ulong _highest;
    private bool _any;

    public ReplayVerdict Check(ulong counter)
    {
        if (!_any || counter > _highest) return ReplayVerdict.Fresh;
        var behind = _highest - counter;
        if (behind >= Size) return ReplayVerdict.TooOld;
        return IsSet(counter) ? ReplayVerdict.Replay : ReplayVerdict.Fresh;
    }

    /// <summary>Records an authenticated counter. The caller has checked it is <see cref="ReplayVerdict.Fresh"/>.</summary>
    public void Commit(ulong counter)
    {
        if (!_any)
        {
            _any = true;
            _highest = counter;
        }
        else if (counter > _highest)
        {
            var shift = counter - _highest;
            if (shift >= Size)
            {
                Array.Clear(_bits);
            }
            else
            {
                // Clear the slots the window slides over: they now stand for counters never seen.
                for (var c = _highest + 1; c <= counter; c++)
                    Clear(c);
            }
            _highest = counter;
        }
        Set(counter);
    }

    private bool IsSet(ulong counter)
    {
        var slot = counter % Size;
        return (_bits[slot / 64] & (1UL << (int)(slot % 64))) != 0;
    }

    private void Set(ulong counter)
    {
        var slot = counter % Size;
        _bits[slot / 64] |= 1UL << (int)(slot % 64);
    }

    private void Clear(ulong counter)
    {
        var slot = counter % Size;
        _bits[slot / 64] &= ~(1UL << (int)(slot % 64));
    }
}
