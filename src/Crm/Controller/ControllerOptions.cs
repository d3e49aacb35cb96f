namespace Cluster.Crm.Controller;

/// <summary>The cluster options the controller core uses (cib-bootstrap-options), with Pacemaker's defaults.</summary>
public sealed record ControllerOptions
{
    /// <summary>The CRM feature set this controller speaks (Pacemaker 2.1.5's).</summary>
    public string FeatureSet { get; init; } = "3.16.1";

    public TimeSpan DcDeadtime { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan ElectionTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan JoinIntegrationTimeout { get; init; } = TimeSpan.FromMinutes(3);
}
