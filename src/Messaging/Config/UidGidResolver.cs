using System.Collections.Immutable;
using System.Globalization;
using Cluster.Common.Paths;
using Cluster.Messaging.Cmap;

namespace Cluster.Messaging.Config;

/// <summary>
/// Turns <c>uidgid { uid: NAME  gid: NAME }</c> entries into the numeric cmap keys corosync
/// stores (<c>uidgid.uid.102</c>), reading the node's <c>/etc/passwd</c> and <c>/etc/group</c>
/// under HA_ROOT. As corosync: a number 0..2^32-2 (optionally with '+') is taken as is, anything
/// else must be a name in the file, else the parse stops with corosync's message. Only the
/// files are read (no NSS: LDAP or sssd accounts need a numeric id).
/// </summary>
public sealed class UidGidResolver(HaPaths paths)
{
    private Dictionary<string, uint>? _users, _groups;

    /// <summary>The keys with uid/gid names replaced by numbers, or the first unknown name as a parser error.</summary>
    public (ImmutableArray<ConfigKey> Keys, ConfigDiagnostic? Error) Resolve(ImmutableArray<ConfigKey> keys, string file)
    {
        var result = ImmutableArray.CreateBuilder<ConfigKey>(keys.Length);
        foreach (var key in keys)
        {
            var user = key.Path.StartsWith("uidgid.uid.", StringComparison.Ordinal);
            if (!user && !key.Path.StartsWith("uidgid.gid.", StringComparison.Ordinal))
            {
                result.Add(key);
                continue;
            }
            var value = key.Path["uidgid.uid.".Length..];
            var id = Numeric(value) ?? (user ? Lookup(ref _users, "/etc/passwd", value) : Lookup(ref _groups, "/etc/group", value));
            if (id is null)
            {
                return ([], ConfigDiagnostic.ParserError(file, key.Line, user
                    ? $"The '{value}' user is not found in /etc/passwd, please read the documentation."
                    : $"The '{value}' group is not found in /etc/group, please read the documentation."));
            }
            result.Add(new ConfigKey($"uidgid.{(user ? "uid" : "gid")}.{id.Value.ToString(CultureInfo.InvariantCulture)}", CmapValue.U8(1), key.Line));
        }
        return (result.ToImmutable(), null);
    }

    private static uint? Numeric(string text)
    {
        var digits = text.StartsWith('+') ? text[1..] : text;
        return digits.Length > 0 && digits.All(char.IsAsciiDigit)
            && uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id != uint.MaxValue
            ? id : null;
    }

    /// <summary>The id of <paramref name="name"/> in a passwd/group style file (name:x:id:...), read once.</summary>
    private uint? Lookup(ref Dictionary<string, uint>? table, string absolutePath, string name)
    {
        table ??= Read(paths.Under(absolutePath));
        return table.TryGetValue(name, out var id) ? id : null;
    }

    private static Dictionary<string, uint> Read(string file)
    {
        var table = new Dictionary<string, uint>(StringComparer.Ordinal);
        string[] lines;
        try
        {
            // Account files are small; a huge one is not an account file.
            if (new FileInfo(file) is { Exists: true, Length: < 16 * 1024 * 1024 })
                lines = File.ReadAllLines(file);
            else
                return table;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return table;
        }
        foreach (var line in lines)
        {
            var fields = line.Split(':');
            if (fields.Length >= 3 && fields[0].Length > 0
                && uint.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                table.TryAdd(fields[0], id);
        }
        return table;
    }
}
