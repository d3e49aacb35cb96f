using System.Xml.Linq;
using Cluster.Crm.Scheduler;

namespace Cluster.Crm.Simulation;

/// <summary>The text crm_simulate prints plus the artefacts it can save.</summary>
public sealed record SimulationOutput(string Text, ScheduleResult Result, XElement InputCib, XElement? RevisedCib, int ExitCode);
