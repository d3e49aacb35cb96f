using System.Globalization;

namespace Cluster.Crm.Controller;

/// <summary>
/// <c>transition-magic</c> of a recorded result: <c>&lt;op-status&gt;:&lt;rc&gt;;&lt;transition-key&gt;</c>,
/// e.g. <c>0:7;13:258:7:9868f0a6-...</c>; a pending operation is recorded as <c>-1:193;...</c>.
/// The key keeps its text as written, since recorded keys may carry ids that are not ours
/// (<c>-1:1:0:...</c> for actions run outside any transition).
/// </summary>
public readonly record struct TransitionMagic(int OpStatus, int Rc, TransitionKey Key)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{OpStatus}:{Rc};{Key}");

    public static bool TryParse(string? text, out TransitionMagic magic, out string? error)
    {
        magic = default;
        var semi = text?.IndexOf(';') ?? -1;
        var head = semi < 0 ? [] : text![..semi].Split(':');
        if (head.Length != 2)
        {
            error = $"transition-magic \"{text}\": expected op-status:rc;transition-key";
            return false;
        }
        if (!TransitionKey.Int(head[0], out var status))
        {
            error = $"transition-magic \"{text}\": op-status \"{head[0]}\" is not an integer";
            return false;
        }
        if (!TransitionKey.Int(head[1], out var rc))
        {
            error = $"transition-magic \"{text}\": rc \"{head[1]}\" is not an integer";
            return false;
        }
        if (!TransitionKey.TryParse(text![(semi + 1)..], out var key, out error))
            return false;
        magic = new TransitionMagic(status, rc, key);
        return true;
    }
}
