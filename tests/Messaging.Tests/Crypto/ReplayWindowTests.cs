using Cluster.Messaging.Crypto;

namespace Cluster.Messaging.Tests.Crypto;

public class ReplayWindowTests
{
    [Fact]
    public void A_committed_counter_is_a_replay_and_an_unseen_one_below_the_top_is_fresh()
    {
        var window = new ReplayWindow();
        window.Commit(10);
        window.Commit(12);
        Assert.Equal(ReplayVerdict.Replay, window.Check(10));
        Assert.Equal(ReplayVerdict.Replay, window.Check(12));
        Assert.Equal(ReplayVerdict.Fresh, window.Check(11));
        Assert.Equal(ReplayVerdict.Fresh, window.Check(13));
    }

    [Fact]
    public void Counters_more_than_the_window_below_the_highest_are_too_old()
    {
        var window = new ReplayWindow();
        window.Commit(5000);
        Assert.Equal(ReplayVerdict.TooOld, window.Check(5000 - ReplayWindow.Size));
        Assert.Equal(ReplayVerdict.Fresh, window.Check(5000 - ReplayWindow.Size + 1));
    }

    [Fact]
    public void Sliding_forward_forgets_slots_that_now_stand_for_new_counters()
    {
        var window = new ReplayWindow();
        window.Commit(1);
        window.Commit(1 + ReplayWindow.Size); // same bitmap slot as 1
        Assert.Equal(ReplayVerdict.Replay, window.Check(1 + ReplayWindow.Size));
        window.Commit(2);
        window.Commit(3 + ReplayWindow.Size); // slides over slot of 2 + Size
        Assert.Equal(ReplayVerdict.Fresh, window.Check(2 + ReplayWindow.Size));
    }

    [Fact]
    public void Matches_a_set_model_for_random_counter_sequences()
    {
        var random = new Random(1234);
        var window = new ReplayWindow();
        var seen = new HashSet<ulong>();
        ulong highest = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var counter = (ulong)Math.Max(1, (long)highest + random.Next(-1500, 40));
            var expected = seen.Count == 0 || counter > highest ? ReplayVerdict.Fresh
                : highest - counter >= ReplayWindow.Size ? ReplayVerdict.TooOld
                : seen.Contains(counter) ? ReplayVerdict.Replay : ReplayVerdict.Fresh;
            Assert.Equal(expected, window.Check(counter));
            if (expected == ReplayVerdict.Fresh)
            {
                window.Commit(counter);
                seen.Add(counter);
                highest = Math.Max(highest, counter);
            }
        }
    }
}
