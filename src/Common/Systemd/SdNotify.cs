using System.Net.Sockets;
using System.Text;

namespace Cluster.Common.Systemd;

/// <summary>
/// systemd's readiness protocol: when <c>NOTIFY_SOCKET</c> is set, send datagrams such as
/// <c>READY=1</c> or <c>STOPPING=1</c> to it (a path, or an abstract socket when it starts with '@').
/// Without the variable every call does nothing.
/// </summary>
public static class SdNotify
{
    public const string SocketVariable = "NOTIFY_SOCKET";

    /// <summary>Sends <paramref name="state"/>; returns false when not under systemd or the send failed.</summary>
    public static bool Notify(string state, Func<string, string?>? getEnv = null)
    {
        var target = (getEnv ?? Environment.GetEnvironmentVariable)(SocketVariable);
        if (string.IsNullOrEmpty(target))
            return false;
        var path = target[0] == '@' ? "\0" + target[1..] : target;
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(path));
            socket.Send(Encoding.UTF8.GetBytes(state));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
