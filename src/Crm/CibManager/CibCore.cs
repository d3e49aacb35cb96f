using System.Globalization;
using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;

namespace Cluster.Crm.CibManager;

/// <summary>
/// The CIB manager of one node, sans-IO: takes client requests, `cib` group deliveries and
/// membership changes, returns effects (send, respond, persist, notify).
/// <list type="bullet">
/// <item>Queries are answered from the local copy at once.</item>
/// <item>A change is multicast to the group and applied by every member when it is delivered,
/// so all members apply one order; the origin answers its client then (an answered change is on
/// every member).</item>
/// <item>After a membership change that brings a node in, every member offers its copy; changes
/// delivered meanwhile wait. When the offers of all members are in, every member takes the
/// greatest (version, then digest) and then applies the waiting changes: all members decide on
/// the same messages in the same order, so they end identical.</item>
/// </list>
/// Invariants: the local version never goes backwards except by adopting a sync winner (which is
/// the greatest offered, so never below this node's own); <see cref="Cib"/> is never modified in
/// place (effects may hold it).
/// </summary>
public sealed class CibCore
{
    private readonly uint _localNode;
    private readonly string _localName;
    private readonly Dictionary<long, (long ClientId, long CallId)> _pending = [];
    private readonly Dictionary<uint, CibOfferMessage> _offers = [];
    private readonly List<CibChangeMessage> _waiting = [];
    private List<uint> _members = [];
    private long _nextSeq;

    public CibCore(uint localNode, string localName, XElement? stored)
    {
        _localNode = localNode;
        _localName = localName;
        Cib = Attach(new XElement(stored ?? CibOperations.Empty(epoch: 0)));
    }

    public XElement Cib { get; private set; }

    public CibVersion Version => CibOperations.VersionOf(Cib);

    /// <summary>This node is a member of the `cib` group.</summary>
    public bool Joined { get; private set; }

    /// <summary>Waiting for the members' offers after a join.</summary>
    public bool Syncing { get; private set; }

    public IReadOnlyList<uint> Members => _members;

    public IReadOnlyList<CibEffect> Handle(CibInput input) => input switch
    {
        CibClientRequest r => OnClientRequest(r),
        CibDelivered d => OnDelivered(d),
        CibMembership m => OnMembership(m),
        CibClientGone g => OnClientGone(g),
        _ => [],
    };

    private List<CibEffect> OnClientRequest(CibClientRequest r)
    {
        if (r.Request.Command == CibCommand.Query)
            return [new CibRespond(r.ClientId, r.CallId, CibOperations.Apply(Cib, r.Request).Reply)];
        if (!Joined)
            return [new CibRespond(r.ClientId, r.CallId, CibErrors.Reply(CibResultCode.NotConnected))];
        var seq = ++_nextSeq;
        _pending[seq] = (r.ClientId, r.CallId);
        var message = new CibChangeMessage(_localNode, _localName, seq, r.Request, r.ClientName, r.User, r.Now.ToUnixTimeSeconds());
        return [new CibSend(message.Encode())];
    }

    private List<CibEffect> OnDelivered(CibDelivered d)
    {
        var effects = new List<CibEffect>();
        switch (CibMessage.Decode(d.Payload))
        {
            case CibChangeMessage change when change.Origin == d.Sender:
                if (Syncing) _waiting.Add(change);
                else ApplyChange(change, effects);
                break;
            case CibOfferMessage offer when Syncing && _members.Contains(d.Sender):
                _offers[d.Sender] = offer;
                CompleteSyncIfReady(effects);
                break;
        }
        return effects;
    }

    private List<CibEffect> OnMembership(CibMembership m)
    {
        var effects = new List<CibEffect>();
        var previous = _members;
        _members = [.. m.Members.Distinct().Order()];
        if (!_members.Contains(_localNode))
        {
            Joined = false;
            Syncing = false;
            _offers.Clear();
            return effects;
        }
        var wasJoined = Joined;
        Joined = true;
        bool someoneJoined = !wasJoined || m.SomeoneJoined || _members.Any(n => !previous.Contains(n));
        if (someoneJoined)
        {
            // Every member (this one included) offers its copy; the sync ends when all offers are in.
            Syncing = true;
            _offers.Clear();
            effects.Add(new CibSend(new CibOfferMessage(Cib).Encode()));
        }
        else if (Syncing)
        {
            // Only departures: the offers still awaited are those of the remaining members.
            foreach (var gone in _offers.Keys.Where(n => !_members.Contains(n)).ToList()) _offers.Remove(gone);
            CompleteSyncIfReady(effects);
        }
        return effects;
    }

    private List<CibEffect> OnClientGone(CibClientGone g)
    {
        foreach (var seq in _pending.Where(p => p.Value.ClientId == g.ClientId).Select(p => p.Key).ToList()) _pending.Remove(seq);
        return [];
    }

    private void CompleteSyncIfReady(List<CibEffect> effects)
    {
        if (!Syncing || _members.Any(n => !_offers.ContainsKey(n))) return;
        // The same choice on every member: greatest version, ties broken by digest. Copies are
        // compared as text and only the adopted one is parsed: each member receives every
        // member's copy, so parsing them all would cost members x members CIB parses per sync.
        var best = AdoptableCopy(_offers.Values);
        Syncing = false;
        _offers.Clear();
        if (best is { } copy && copy.CibText != CibXmlText.FormatCompact(Cib))
        {
            Cib = Attach(copy.Cib);
            effects.Add(new CibPersist(Cib));
            effects.Add(new CibNotify(Version));
        }
        var waiting = _waiting.ToList();
        _waiting.Clear();
        foreach (var change in waiting) ApplyChange(change, effects);
    }

    /// <summary>The copy to adopt with its parsed CIB; null when no offered copy parses (keep ours).</summary>
    private static (string CibText, XElement Cib)? AdoptableCopy(IEnumerable<CibOfferMessage> offers)
    {
        var candidates = offers.ToList();
        while (candidates.Count > 0)
        {
            var newest = candidates.Max(o => o.Version);
            var top = candidates.Where(o => o.Version == newest).ToList();
            var texts = top.Select(o => o.CibText).Distinct(StringComparer.Ordinal).ToList();
            var parsed = new List<(string Text, XElement Cib)>();
            foreach (var text in texts)
            {
                try
                {
                    parsed.Add((text, XElement.Parse(text)));
                }
                catch (System.Xml.XmlException)
                {
                    // A copy that does not parse cannot win; the others still can.
                    candidates.RemoveAll(o => o.CibText == text);
                }
            }
            if (parsed.Count == 1) return parsed[0];
            if (parsed.Count > 1)
                return parsed.Select(p => (p.Text, p.Cib, Digest: CibFileDigest.Compute(p.Cib)))
                    .OrderByDescending(p => p.Digest, StringComparer.Ordinal).Select(p => (p.Text, p.Cib)).First();
        }
        return null;
    }

    private void ApplyChange(CibChangeMessage change, List<CibEffect> effects)
    {
        var before = Cib;
        var outcome = CibOperations.Apply(before, change.Request);
        var reply = outcome.Reply;
        bool config = false;
        if (outcome.Cib is { } after)
        {
            config = outcome.ConfigChanged;
            if (config)
            {
                after.SetAttributeValue("cib-last-written", LastWritten(change.UnixTime));
                after.SetAttributeValue("update-origin", change.OriginName);
                after.SetAttributeValue("update-client", change.ClientName);
                after.SetAttributeValue("update-user", change.User);
            }
            Cib = Attach(after);
        }
        // The answer first: the change is on every member now; the disk write need not delay it.
        if (change.Origin == _localNode && _pending.Remove(change.Seq, out var call))
            effects.Add(new CibRespond(call.ClientId, call.CallId, reply));
        if (outcome.Cib is not null)
        {
            if (config) effects.Add(new CibPersist(Cib));
            effects.Add(new CibNotify(Version, change.ClientName));
        }
    }

    /// <summary>cib-last-written as Pacemaker writes it, ctime style ("Sat Nov 21 22:35:25 2026", "Mon Dec  7 ..."), UTC.</summary>
    public static string LastWritten(long unixTime)
    {
        var t = DateTimeOffset.FromUnixTimeSeconds(unixTime).UtcDateTime;
        return t.ToString("ddd MMM ", CultureInfo.InvariantCulture) + t.Day.ToString(CultureInfo.InvariantCulture).PadLeft(2)
            + t.ToString(" HH:mm:ss yyyy", CultureInfo.InvariantCulture);
    }

    private static XElement Attach(XElement root)
    {
        if (root.Parent is null && root.Document is null) _ = new XDocument(root);
        return root;
    }
}
