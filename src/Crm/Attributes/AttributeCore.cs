namespace Cluster.Crm.Attributes;

/// <summary>
/// Transient node attributes (Pacemaker's attrd) as a sans-IO state machine. Client requests
/// become <c>attrd</c> group messages and take effect on delivery, so every member applies the
/// same changes in the same order (<c>value++</c> expands against the agreed value). One member,
/// the writer, turns changes into CIB writes: immediately, or once per dampening period with the
/// latest value, so a flapping value (a ping agent) is not written on every flap.
/// The writer is the member whose name sorts first (ordinal): every member computes the same one
/// from the same totally ordered membership, so no election round is needed.
/// </summary>
public sealed class AttributeCore(string localNode)
{
    private readonly Dictionary<string, AttributeState> _attributes = new(StringComparer.Ordinal);
    private SortedSet<string> _members = new(StringComparer.Ordinal) { localNode };

    public string LocalNode => localNode;

    /// <summary>The member that writes attributes into the CIB.</summary>
    public string Writer => _members.Min!;

    public bool IsWriter => Writer == localNode;

    /// <summary>The value <paramref name="node"/> has for <paramref name="name"/>, or null.</summary>
    public string? Value(string node, string name) =>
        _attributes.TryGetValue(name, out var a) && a.Values.TryGetValue(node, out var v) ? v : null;

    /// <summary>Every attribute name with a value on some node.</summary>
    public IEnumerable<string> Names => _attributes.Where(a => a.Value.Values.Values.Any(v => v is not null)).Select(a => a.Key);

    /// <summary>
    /// A client's request (attrd_updater, crm_attribute -l reboot, the controller's fail counts).
    /// A bad request yields <paramref name="error"/> and no effects.
    /// </summary>
    public IReadOnlyList<AttributeEffect> Request(AttributeUpdate update, out string? error)
    {
        ArgumentNullException.ThrowIfNull(update);
        error = string.IsNullOrWhiteSpace(update.Name) ? "attribute name is empty"
            : string.IsNullOrWhiteSpace(update.Node) ? $"attribute {update.Name}: node name is empty"
            : update.Delay is { } d && d < TimeSpan.Zero ? $"attribute {update.Name}: negative dampening delay"
            : update.Name.Any(c => c is '\'' or '"' || char.IsControl(c)) ? $"attribute name \"{update.Name}\" contains a quote or a control character"
            : update.Node.Any(c => c is '\'' or '"' || char.IsControl(c)) ? $"node name \"{update.Node}\" contains a quote or a control character"
            : null;
        return error is null ? [new SendToAttributeGroup(update)] : [];
    }

    /// <summary>A message delivered by the <c>attrd</c> group (our own included), from <paramref name="sender"/>.</summary>
    public IReadOnlyList<AttributeEffect> OnDelivery(string sender, AttributeMessage message, TimeSpan now)
    {
        var effects = new List<AttributeEffect>();
        switch (message)
        {
            case AttributeUpdate update:
                Apply(update, effects);
                break;
            case AttributeSync sync when sender != localNode:
                Merge(sync, effects);
                break;
            case AttributeRefresh:
                effects.AddRange(RewriteAll());
                break;
        }
        return effects;
    }

    /// <summary>Every node's value of <paramref name="name"/> (deleted ones left out), by node.</summary>
    public IReadOnlyDictionary<string, string> ValuesOf(string name) =>
        _attributes.TryGetValue(name, out var a)
            ? a.Values.Where(v => v.Value is not null).ToDictionary(v => v.Key, v => v.Value!, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>
    /// The CIB's status section was replaced (a sync after a partition healed or a new member
    /// joined): what it holds may be another partition's, so the writer writes everything again.
    /// Values still dampening wait for their timer.
    /// </summary>
    public IReadOnlyList<AttributeEffect> RewriteAll()
    {
        var effects = new List<AttributeEffect>();
        if (!IsWriter)
            return effects;
        foreach (var (name, state) in _attributes)
        {
            if (!state.Dampening && state.Values.Count > 0)
                Write(name, state, effects);
        }
        return effects;
    }

    /// <summary>The dampening timer of <paramref name="name"/> expired: the writer writes the latest values.</summary>
    public IReadOnlyList<AttributeEffect> OnDampeningExpired(string name, TimeSpan now)
    {
        var effects = new List<AttributeEffect>();
        if (!_attributes.TryGetValue(name, out var state))
            return effects;
        state.Dampening = false;
        if (IsWriter && state.Dirty)
            Write(name, state, effects);
        return effects;
    }

    /// <summary>
    /// The <c>attrd</c> group's members changed. Values of nodes that left are dropped (they are
    /// transient: gone with the node's run); a new writer writes everything it holds, since its
    /// predecessor may have died with changes unwritten; the writer sends its table to joiners.
    /// </summary>
    public IReadOnlyList<AttributeEffect> OnMembership(IReadOnlyCollection<string> members, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(members);
        var effects = new List<AttributeEffect>();
        var wasWriter = IsWriter;
        var next = new SortedSet<string>(members, StringComparer.Ordinal) { localNode };
        var joined = next.Except(_members).ToList();
        foreach (var gone in _members.Except(next))
        {
            foreach (var state in _attributes.Values)
                state.Values.Remove(gone);
        }
        _members = next;
        if (IsWriter && !wasWriter)
        {
            foreach (var (name, state) in _attributes)
                Write(name, state, effects);
        }
        if (IsWriter && joined.Count > 0)
            effects.Add(new SendToAttributeGroup(new AttributeSync(Table())));
        return effects;
    }

    private void Apply(AttributeUpdate update, List<AttributeEffect> effects)
    {
        if (!_attributes.TryGetValue(update.Name, out var state))
            _attributes[update.Name] = state = new AttributeState();
        if (update.Delay is { } delay)
            state.Delay = delay;
        var old = state.Values.GetValueOrDefault(update.Node);
        var value = update.Value is null ? null : AttributeValue.Expand(old, update.Value);
        if (value == old && (value is not null || !state.Values.ContainsKey(update.Node)))
            return;
        state.Values[update.Node] = value;
        state.Dirty = true;
        if (state.Delay > TimeSpan.Zero)
        {
            // Later changes within the period do not restart the timer: the latest value is
            // written when it fires.
            if (!state.Dampening)
            {
                state.Dampening = true;
                effects.Add(new ArmDampening(update.Name, state.Delay));
            }
        }
        else if (IsWriter)
        {
            Write(update.Name, state, effects);
        }
    }

    private void Merge(AttributeSync sync, List<AttributeEffect> effects)
    {
        foreach (var update in sync.Values)
        {
            if (update.Node == localNode)
                continue; // our own values are ours to announce
            if (!_attributes.TryGetValue(update.Name, out var state))
                _attributes[update.Name] = state = new AttributeState();
            state.Values[update.Node] = update.Value;
            if (update.Delay is { } d)
                state.Delay = d;
        }
        // Values we hold for ourselves that the writer lacks or has differently: announce them.
        foreach (var (name, state) in _attributes)
        {
            if (!state.Values.TryGetValue(localNode, out var mine) || mine is null)
                continue;
            var theirs = sync.Values.FirstOrDefault(u => u.Node == localNode && u.Name == name)?.Value;
            if (theirs != mine)
                effects.Add(new SendToAttributeGroup(new AttributeUpdate(localNode, name, mine)));
        }
    }

    private List<AttributeUpdate> Table() =>
        [.. _attributes.SelectMany(a => a.Value.Values
            .Where(v => v.Value is not null)
            .Select(v => new AttributeUpdate(v.Key, a.Key, v.Value, a.Value.Delay)))];

    private static void Write(string name, AttributeState state, List<AttributeEffect> effects)
    {
        effects.Add(new WriteAttribute(name, new Dictionary<string, string?>(state.Values, StringComparer.Ordinal)));
        // A deletion has been written as the nvpair's removal: nothing left to remember.
        foreach (var node in state.Values.Where(v => v.Value is null).Select(v => v.Key).ToList())
            state.Values.Remove(node);
        state.Dirty = false;
    }

    private sealed class AttributeState
    {
        public Dictionary<string, string?> Values { get; } = new(StringComparer.Ordinal);
        public TimeSpan Delay { get; set; }
        public bool Dampening { get; set; }
        public bool Dirty { get; set; }
    }
}
