using Cluster.Crm.Cib;
using FsCheck;
using FsCheck.Fluent;

namespace Cluster.Crm.Tests.Cib;

public class ScoreTests
{
    [Fact]
    public void MinusInfinity_dominates_plus_infinity()
    {
        Assert.Equal(Score.MinusInfinity, Score.Infinity + Score.MinusInfinity);
        Assert.Equal(Score.MinusInfinity, Score.MinusInfinity + Score.Infinity);
    }

    [Fact]
    public void Finite_sums_are_clamped_to_infinity()
    {
        Assert.Equal(Score.Infinity, new Score(900_000) + new Score(900_000));
        Assert.Equal(Score.MinusInfinity, new Score(-900_000) + new Score(-900_000));
        Assert.Equal(new Score(5), new Score(2) + new Score(3));
    }

    [Theory]
    [InlineData("INFINITY", 1_000_000)]
    [InlineData("+INFINITY", 1_000_000)]
    [InlineData("-INFINITY", -1_000_000)]
    [InlineData("infinity", 0)]
    [InlineData("12abc", 12)]
    [InlineData("99999999999999999999", 0)]
    [InlineData("5000000", 1_000_000)]
    [InlineData(" -7", -7)]
    [InlineData(null, 0)]
    public void Lenient_parse_follows_pacemaker(string? text, int expected) =>
        Assert.Equal(expected, Score.Parse(text).Value);

    [Theory]
    [InlineData("INFINITY", true)]
    [InlineData("-10", true)]
    [InlineData("infinity", false)]
    [InlineData("12abc", false)]
    [InlineData("", false)]
    public void Strict_parse_accepts_only_schema_forms(string text, bool ok) =>
        Assert.Equal(ok, Score.TryParseStrict(text, out _));

    [Fact]
    public void Infinite_scores_print_as_INFINITY()
    {
        Assert.Equal("INFINITY", Score.Infinity.ToString());
        Assert.Equal("-INFINITY", Score.MinusInfinity.ToString());
        Assert.Equal("42", new Score(42).ToString());
    }

    [Fact]
    public void Addition_is_commutative_and_bounded() =>
        Prop.ForAll<int, int>((a, b) =>
        {
            var x = Score.FromLong(a); var y = Score.FromLong(b);
            var s = x + y;
            return s == y + x && s.Value is >= -Score.InfinityValue and <= Score.InfinityValue;
        }).QuickCheckThrowOnFailure();
}
