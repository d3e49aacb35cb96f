using Cluster.Crm.Cib;

namespace Cluster.Crm.Tests.Cib;

public class AttributeExpressionTests
{
    private static bool Eval(string actual, string op, string value, string type) =>
        new AttributeExpression("e", "a", op, value, type, null)
            .Evaluate(new RuleContext(new Dictionary<string, string> { ["a"] = actual }, DateTimeOffset.UnixEpoch));

    [Theory]
    [InlineData("3.4", "eq", "3.6", true)]   // both read as 3, like strtoll
    [InlineData("3.4", "lt", "4", true)]
    [InlineData("-2x", "eq", "-2", true)]
    [InlineData("10", "gt", "9", true)]
    public void Integer_type_compares_the_leading_integer_of_each_side(string actual, string op, string value, bool expected) =>
        Assert.Equal(expected, Eval(actual, op, value, "integer"));

    [Fact]
    public void Number_type_keeps_fractions() => Assert.False(Eval("3.4", "eq", "3.6", "number"));
}
