using System.Globalization;

namespace Cluster.Crm.Controller;

/// <summary>
/// <c>transition-key</c> as Pacemaker writes it on every action and every recorded result:
/// <c>&lt;action-id&gt;:&lt;transition-id&gt;:&lt;expected-rc&gt;:&lt;DC uuid&gt;</c>, e.g.
/// <c>5:68:7:c0a34b18-a8ea-4299-84f3-6747c105f26e</c>.
/// </summary>
public readonly record struct TransitionKey(int ActionId, int TransitionId, int ExpectedRc, string DcUuid)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{ActionId}:{TransitionId}:{ExpectedRc}:{DcUuid}");

    /// <summary>Parses a key; <paramref name="error"/> says which field is wrong.</summary>
    public static bool TryParse(string? text, out TransitionKey key, out string? error)
    {
        key = default;
        var parts = text?.Split(':', 4) ?? [];
        if (parts.Length != 4)
        {
            error = $"transition-key \"{text}\": expected action:transition:expected-rc:dc-uuid";
            return false;
        }
        if (!Int(parts[0], out var action))
            error = $"transition-key \"{text}\": action id \"{parts[0]}\" is not an integer";
        else if (!Int(parts[1], out var transition))
            error = $"transition-key \"{text}\": transition id \"{parts[1]}\" is not an integer";
        else if (!Int(parts[2], out var rc))
            error = $"transition-key \"{text}\": expected rc \"{parts[2]}\" is not an integer";
        else if (parts[3].Length == 0)
            error = $"transition-key \"{text}\": the DC uuid is empty";
        else
        {
            key = new TransitionKey(action, transition, rc, parts[3]);
            error = null;
            return true;
        }
        return false;
    }

    internal static bool Int(string s, out int value) =>
        int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
}
