namespace Cluster.Messaging.Totem;

/// <summary>The timers a Totem node arms; each is armed at most once at a time.</summary>
public enum TotemTimer
{
    TokenLoss,
    TokenRetransmit,
    TokenHold,
    Join,
    Consensus,
    MergeDetect,
    Downcheck,
}
