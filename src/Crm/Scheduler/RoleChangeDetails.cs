namespace Cluster.Crm.Scheduler;

/// <summary>
/// The text inside "( ... )" of a Transition Summary line when roles may matter, as crm_simulate
/// 2.1.5 words it: a role is shown only for a resource that is or will be promoted
/// (current role above Started or next role above Unpromoted).
/// </summary>
public static class RoleChangeDetails
{
    /// <summary>Role names as 2.1.5 prints them.</summary>
    public static string Name(Role role) => role switch
    {
        Role.Stopped => "Stopped",
        Role.Started => "Started",
        Role.Unpromoted => "Unpromoted",
        Role.Promoted => "Promoted",
        _ => "Unknown",
    };

    public static string Format(Role role, Role nextRole, string? origin, string? destination)
    {
        if (origin is null && destination is null) throw new ArgumentException("a summary line needs an origin or a destination node");
        bool needRole = role > Role.Started || nextRole > Role.Unpromoted;
        bool sameHost = origin is not null && origin == destination;
        bool sameRole = role == nextRole;
        if (origin is null) return needRole ? $"{Name(role)} -> {Name(nextRole)} {destination}" : destination!;
        if (destination is null) return needRole ? $"{Name(role)} {origin}" : origin;
        if (sameRole && sameHost) return needRole ? $"{Name(role)} {origin}" : origin;
        if (sameRole) return needRole ? $"{origin} -> {destination} {Name(role)}" : $"{origin} -> {destination}";
        if (sameHost) return $"{Name(role)} -> {Name(nextRole)} {origin}";
        return $"{Name(role)} {origin} -> {Name(nextRole)} {destination}";
    }
}
