using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;

namespace Cluster.Crm.CibManager;

/// <summary>What the CIB manager core asks its shell to do.</summary>
public abstract record CibEffect;

/// <summary>Multicast to the `cib` CPG group.</summary>
public sealed record CibSend(byte[] Payload) : CibEffect;

/// <summary>Answer a local client's call.</summary>
public sealed record CibRespond(long ClientId, long CallId, CibReply Reply) : CibEffect;

/// <summary>The configuration changed: write cib.xml (without status) durably.</summary>
public sealed record CibPersist(XElement Cib) : CibEffect;

/// <summary>
/// The CIB changed: tell subscribed clients the new version. <paramref name="Client"/> names the
/// client whose change it was (null after a sync), so the DC can tell its controllers' own
/// bookkeeping from changes it must schedule for.
/// </summary>
public sealed record CibNotify(CibVersion Version, string? Client = null) : CibEffect;
