using System.Xml.Linq;
using Cluster.Crm.Scheduler;

namespace Cluster.Crm.Simulation;

/// <summary>The text crm_simulate prints plus the artefacts it can save.</summary>
public sealed record SimulationOutput(string Text, ScheduleResult Result, XElement InputCib, XElement? RevisedCib, int ExitCode)
{
    private XElement? _inputCib = InputCib;
    private Cib.CibDocument? _unmodifiedInput;

    /// <summary>The input document after the requested modifications (a copy; built on first use when nothing was modified).</summary>
    public XElement InputCib
    {
        get => _inputCib ??= new XElement(_unmodifiedInput!.Source);
        init => _inputCib = value;
    }

    /// <summary>A run that did not modify its input: the document is only built if asked for.</summary>
    internal SimulationOutput(string text, ScheduleResult result, Cib.CibDocument unmodifiedInput, XElement? revisedCib, int exitCode)
        : this(text, result, (XElement)null!, revisedCib, exitCode)
    {
        _unmodifiedInput = unmodifiedInput;
    }
}
