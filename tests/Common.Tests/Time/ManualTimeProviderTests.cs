using Cluster.TestSupport;

namespace Cluster.Common.Tests.Time;

public class ManualTimeProviderTests
{
    [Fact]
    public void Timers_fire_in_due_order_only_when_the_clock_is_advanced()
    {
        var time = new ManualTimeProvider();
        var fired = new List<string>();
        using var late = time.CreateTimer(_ => fired.Add("late"), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        using var early = time.CreateTimer(_ => fired.Add("early"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        Assert.Empty(fired);
        time.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(["early"], fired);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["early", "late"], fired);
    }

    [Fact]
    public void Periodic_timer_fires_once_per_period_and_stops_when_disposed()
    {
        var time = new ManualTimeProvider();
        var count = 0;
        var timer = time.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(3, count);
        timer.Dispose();
        time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(3, count);
    }
}
