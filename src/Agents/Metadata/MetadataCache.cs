using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cluster.Agents.Metadata;

/// <summary>
/// Agents' meta-data output kept on disk, so that the administrator's tools (<c>pcs resource
/// create</c> checks every parameter against it) do not fork a shell agent on every call: a
/// cached answer saves most of such a command's time. An entry is keyed by the agent's path,
/// size and modification time, so replacing or editing the agent misses it. The directory lives
/// under /run (emptied at boot); every failure to read or write it just means a miss.
/// </summary>
public sealed class MetadataCache(string directory)
{
    public string Directory => directory;

    /// <summary>The cached meta-data text for the agent at <paramref name="agentPath"/>, or null.</summary>
    public string? TryGet(string agentPath)
    {
        try
        {
            var key = KeyOf(agentPath);
            return key is null ? null : File.ReadAllText(EntryPath(key));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Stores the agent's meta-data text; atomic (temp file, rename), errors ignored.</summary>
    public void Put(string agentPath, string text)
    {
        try
        {
            var key = KeyOf(agentPath);
            if (key is null)
                return;
            System.IO.Directory.CreateDirectory(directory);
            var path = EntryPath(key);
            var temp = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
            File.WriteAllText(temp, text);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A cache that cannot be written is only slower.
        }
    }

    private string EntryPath(string key) => Path.Combine(directory, key + ".xml");

    private static string? KeyOf(string agentPath)
    {
        var info = new FileInfo(agentPath);
        if (!info.Exists)
            return null;
        var stamp = string.Join('\n', info.FullName, info.Length.ToString(CultureInfo.InvariantCulture),
            info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stamp)), 0, 16);
    }
}
