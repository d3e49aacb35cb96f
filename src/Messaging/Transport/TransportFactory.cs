using Cluster.Messaging.Config;
using Microsoft.Extensions.Logging;

namespace Cluster.Messaging.Transport;

/// <summary>Builds the transport <see cref="TransportOptions.Kind"/> names.</summary>
public static class TransportFactory
{
    /// <param name="cryptoEpoch">This boot's envelope epoch (see <see cref="Crypto.CryptoEnvelope.NewEpoch"/>); unused without crypto.</param>
    public static ITransport Create(TransportOptions options, ILogger logger, TimeProvider time, ulong cryptoEpoch)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            TransportKind.Udpu => new UdpuTransport(options, logger, cryptoEpoch),
            TransportKind.Udp => new UdpMulticastTransport(options, logger, cryptoEpoch),
            TransportKind.Knet => new KnetTransport(options, logger, cryptoEpoch, time),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "unknown transport kind"),
        };
    }
}
