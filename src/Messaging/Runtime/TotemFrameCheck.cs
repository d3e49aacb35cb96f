using Cluster.Messaging.Totem.Wire;
using Cluster.Messaging.Transport;

namespace Cluster.Messaging.Runtime;

/// <summary>
/// The shell's admission check for received frames: exactly the Totem codec's own decode, run on
/// the receive thread, so a frame the core would reject (garbage on the port without crypto, a
/// foreign protocol, a cut frame) is counted by reason and never reaches the protocol loop.
/// With crypto on, such frames are already stopped by the envelope; this covers the plaintext case.
/// </summary>
public static class TotemFrameCheck
{
    /// <summary>
    /// True when <paramref name="frame"/> decodes as a Totem message. Otherwise the drop reason
    /// (<see cref="PacketDropReason.Truncated"/> when shorter than the Totem header,
    /// <see cref="PacketDropReason.Malformed"/> for anything else) and the codec's explanation.
    /// </summary>
    public static bool IsWellFormed(ReadOnlyMemory<byte> frame, out PacketDropReason reason, out string? error)
    {
        if (TotemCodec.TryDecode(frame, out _, out error))
        {
            reason = default;
            return true;
        }
        reason = frame.Length < TotemCodec.HeaderSize ? PacketDropReason.Truncated : PacketDropReason.Malformed;
        return false;
    }
}
