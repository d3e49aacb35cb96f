namespace Cluster.Messaging.Totem;

/// <summary>Wrap-aware comparison of u32 message/token sequence numbers (messaging-spec §2.4).</summary>
public static class SeqNumber
{
    private const uint Half = 0x80000000;

    public static bool Lt(uint a, uint b) =>
        a > Half || b > Half ? unchecked(a - Half) < unchecked(b - Half) : a < b;

    public static bool Le(uint a, uint b) => a == b || Lt(a, b);
}
