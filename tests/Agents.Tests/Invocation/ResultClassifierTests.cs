using Cluster.Agents.Invocation;

namespace Cluster.Agents.Tests.Invocation;

public sealed class ResultClassifierTests
{
    [Theory]
    [InlineData("status", 0, 0)]
    [InlineData("status", 1, 7)]
    [InlineData("status", 2, 7)]
    [InlineData("status", 3, 7)]
    [InlineData("status", 4, 1)]
    [InlineData("monitor", 3, 7)]
    [InlineData("start", 0, 0)]
    [InlineData("start", 5, 5)]
    [InlineData("stop", 7, 7)]
    [InlineData("start", 8, 1)]
    [InlineData("start", 255, 1)]
    public void LsbExitCodesMapAsPacemakerDoes(string action, int lsb, int ocf) =>
        Assert.Equal(ocf, ResultClassifier.LsbToOcf(action, lsb));

    [Theory]
    [InlineData(1, FailureSeverity.Soft)]
    [InlineData(2, FailureSeverity.Hard)]
    [InlineData(3, FailureSeverity.Hard)]
    [InlineData(4, FailureSeverity.Hard)]
    [InlineData(5, FailureSeverity.Hard)]
    [InlineData(6, FailureSeverity.Fatal)]
    [InlineData(7, FailureSeverity.Soft)]
    [InlineData(9, FailureSeverity.Soft)]
    [InlineData(0, FailureSeverity.None)]
    [InlineData(190, FailureSeverity.None)]
    public void OcfCodesHaveTheirFailureClass(int rc, FailureSeverity severity) =>
        Assert.Equal(severity, ResultClassifier.Severity(rc));

    [Fact]
    public void NotRunningIsSuccessWhenExpectedAsForAProbe()
    {
        Assert.Equal(FailureSeverity.None, ResultClassifier.Severity(7, expectedRc: 7));
        Assert.Equal(FailureSeverity.Soft, ResultClassifier.Severity(0, expectedRc: 7));
    }

    [Theory]
    [InlineData(42, 1)]
    [InlineData(-1, 1)]
    [InlineData(8, 8)]
    [InlineData(191, 191)]
    public void UnknownOcfCodesAreGenericErrors(int raw, int rc) => Assert.Equal(rc, ResultClassifier.NormaliseOcf(raw));

    [Fact]
    public void ExitReasonIsTheLastMarkedStderrLine()
    {
        var stderr = "INFO: x\nocf-exit-reason:first\nnoise\nocf-exit-reason:second reason\n";

        Assert.Equal("second reason", AgentInvoker.ExitReason(stderr));
        Assert.Null(AgentInvoker.ExitReason("nothing here\n"));
    }
}
