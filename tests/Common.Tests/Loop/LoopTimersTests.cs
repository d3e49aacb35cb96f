using Cluster.Common.Loop;
using Cluster.TestSupport;

namespace Cluster.Common.Tests.Loop;

public class LoopTimersTests
{
    [Fact]
    public void A_callback_from_an_earlier_arming_does_not_fire_a_rearmed_timer()
    {
        var time = new ManualTimeProvider();
        var posted = new List<string>();
        using var timers = new LoopTimers<string>(time, posted.Add);
        timers.Arm("t", TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromMilliseconds(900));
        timers.Arm("t", TimeSpan.FromSeconds(1)); // re-armed: now due at 1.9 s
        // A callback posted by the first arming (a race) arrives: the loop must not fire.
        Assert.False(timers.TryFire("t"));
        time.Advance(TimeSpan.FromMilliseconds(1000));
        Assert.Contains("t", posted);
        Assert.True(timers.TryFire("t"));
        Assert.False(timers.TryFire("t")); // one shot
    }

    [Fact]
    public void A_cancelled_timer_never_fires_even_if_its_callback_was_already_posted()
    {
        var time = new ManualTimeProvider();
        using var timers = new LoopTimers<int>(time, _ => { });
        timers.Arm(1, TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(2));
        timers.Cancel(1);
        Assert.False(timers.TryFire(1));
        Assert.False(timers.IsArmed(1));
    }
}

public class EventLoopTests
{
    [Fact]
    public async Task Inputs_are_stepped_in_post_order_and_each_effect_interpreted_before_the_next_input()
    {
        var log = new List<string>();
        var loop = new EventLoop<int, string>(i => [$"a{i}", $"b{i}"], e => { log.Add(e); return ValueTask.CompletedTask; });
        for (int i = 0; i < 3; i++) Assert.True(loop.Post(i));
        loop.Stop();
        await loop.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(["a0", "b0", "a1", "b1", "a2", "b2"], log);
        Assert.False(loop.Post(9)); // stopped: nothing more is taken
    }

    [Fact]
    public async Task Cancellation_ends_the_loop()
    {
        var loop = new EventLoop<int, int>(_ => [], _ => ValueTask.CompletedTask);
        using var cts = new CancellationTokenSource();
        var run = loop.RunAsync(cts.Token);
        loop.Post(1);
        cts.Cancel();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(run.IsCompletedSuccessfully);
    }
}
