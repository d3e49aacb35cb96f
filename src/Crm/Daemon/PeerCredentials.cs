using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Cluster.Crm.Daemon;

/// <summary>The process at the other end of a local socket (SO_PEERCRED), and whether it may use the CIB.</summary>
public readonly record struct PeerCredentials(int Pid, uint Uid, uint Gid)
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;

    public static PeerCredentials? Of(Socket socket)
    {
        Span<byte> buffer = stackalloc byte[12];
        try
        {
            if (socket.GetRawSocketOption(SolSocket, SoPeerCred, buffer) < 12) return null;
        }
        catch (SocketException)
        {
            return null;
        }
        return new PeerCredentials(MemoryMarshal.Read<int>(buffer), MemoryMarshal.Read<uint>(buffer[4..]), MemoryMarshal.Read<uint>(buffer[8..]));
    }

    /// <summary>Root, or a user whose primary or supplementary group is haclient.</summary>
    public bool MayUseCib(string groupFile = "/etc/group", string passwdFile = "/etc/passwd")
    {
        if (Uid == 0) return true;
        var group = UserDatabase.Group(groupFile, "haclient");
        if (group is null) return false;
        if (Gid == group.Value.Gid) return true;
        var user = UserDatabase.UserName(passwdFile, Uid);
        return user is not null && group.Value.Members.Contains(user);
    }
}

/// <summary>Reads /etc/passwd and /etc/group (the names the CIB records and the haclient check needs).</summary>
public static class UserDatabase
{
    public static string? UserName(string passwdFile, uint uid)
    {
        foreach (var line in ReadLines(passwdFile))
        {
            var f = line.Split(':');
            if (f.Length > 2 && uint.TryParse(f[2], out var u) && u == uid) return f[0];
        }
        return null;
    }

    public static (uint Gid, HashSet<string> Members)? Group(string groupFile, string name)
    {
        foreach (var line in ReadLines(groupFile))
        {
            var f = line.Split(':');
            if (f.Length > 3 && f[0] == name && uint.TryParse(f[2], out var gid))
                return (gid, [.. f[3].Split(',', StringSplitOptions.RemoveEmptyEntries)]);
        }
        return null;
    }

    private static IEnumerable<string> ReadLines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }
}
