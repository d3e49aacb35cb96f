using System.Xml.Linq;

namespace Cluster.Crm.CibClient;

/// <summary>
/// One request to the CIB manager. <see cref="Scope"/> is a section name (configuration,
/// nodes, resources, constraints, crm_config, rsc_defaults, op_defaults, status) or null for the
/// whole CIB; <see cref="XPath"/> (the subset cibadmin users need) selects instead of the scope
/// when set; <see cref="Data"/> is the XML the command carries (create/modify/replace/delete).
/// </summary>
public sealed record CibRequest(
    CibCommand Command,
    string? Scope = null,
    string? XPath = null,
    XElement? Data = null,
    CibCallOptions Options = CibCallOptions.None);
