using System.Text;
using Cluster.Crm.Digests;
using FsCheck;
using FsCheck.Fluent;

namespace Cluster.Crm.Tests.Digests;

/// <summary>Rules of op-digest.md §2-§7 beyond the literal vectors.</summary>
public sealed class OpDigestBehaviourTests
{
    private static KeyValuePair<string, string>[] P(params (string Name, string Value)[] pairs) =>
        [.. pairs.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))];

    [Fact]
    public void Filter_DropsMetaAndBookkeepingNames_ForNonRecurringOps()
    {
        var input = new OpDigestInput("start", 0,
            P(("ip", "1"), ("CRM_meta_timeout", "5"), ("id", "x"), ("crm_feature_set", "3.16.1"), ("on_node", "n"),
              ("on_node_uuid", "1"), ("op-digest", "d"), ("pcmk_external_ip", "e")), []);
        Assert.Equal(" <parameters ip=\"1\"/>\n", OpDigest.ComputeAll(input).AllText);
    }

    [Fact]
    public void Utf8Quirk_EscapingStopsAtFirstMultiByteCharacter()
    {
        var text = DigestText.Serialize(P(("v", "a<b café <x>")));
        Assert.Equal(" <parameters v=\"a&lt;b café <x>\"/>\n", Encoding.UTF8.GetString(text));
    }

    [Fact]
    public void Names_SortInUtf8ByteOrder_NotUtf16Order()
    {
        // U+FF01 encodes as EF BC 81, U+1F600 as F0 9F 98 80: strcmp puts U+FF01 first, while
        // UTF-16 ordinal order would put the surrogate pair (D83D) first.
        var text = DigestText.ToText(P(("\U0001F600", "1"), ("\uFF01", "2"), ("Z", "3"), ("_", "4"), ("a", "5")));
        Assert.Equal(" <parameters Z=\"3\" _=\"4\" a=\"5\" \uFF01=\"2\" \U0001F600=\"1\"/>\n", text);
    }

    [Fact]
    public void ControlCharacters_AreOctalEscaped()
    {
        Assert.Equal(" <parameters v=\"a\\001b\\177\"/>\n", DigestText.ToText(P(("v", "a\u0001b\u007f"))));
    }

    [Fact]
    public void DefaultValue_RemovesEarlierValue()
    {
        var set = ParameterSet.Resolve([[AttributeBlock.Of(("a", "1"))], [AttributeBlock.Of(("a", "#default"))]]);
        Assert.Equal(0, set.Count);
    }

    [Theory]
    [InlineData("20", 20000)]
    [InlineData("20s", 20000)]
    [InlineData("1min", 60000)]
    [InlineData("2m", 120000)]
    [InlineData("1h", 3600000)]
    [InlineData("1500ms", 1500)]
    [InlineData("1500msec", 1500)]
    [InlineData("2000us", 2)]
    [InlineData(" 30 S", 30000)]
    [InlineData("1.9s", 1000)]
    [InlineData("bogus", 20000)]
    [InlineData("10x", 20000)]
    public void Timeout_ParsesPacemakerUnits_UnparsableIsDefault(string spec, long expected) =>
        Assert.Equal(expected, OpTimeout.ResolveMs(opAttribute: spec));

    [Fact]
    public void Timeout_Precedence_StonithThenOpAttributeThenMetaThenProbeThenDefaults()
    {
        Assert.Equal(99000, OpTimeout.ResolveMs("1s", "2s", "3s", "4s", "99s"));
        Assert.Equal(1000, OpTimeout.ResolveMs("1s", "2s", "3s", "4s"));
        Assert.Equal(2000, OpTimeout.ResolveMs(null, "2s", "3s", "4s"));
        Assert.Equal(3000, OpTimeout.ResolveMs(null, null, "3s", "4s"));
        Assert.Equal(4000, OpTimeout.ResolveMs(null, null, null, "4s"));
        // An unparsable winner does not fall through to the next source.
        Assert.Equal(20000, OpTimeout.ResolveMs("junk", "2s"));
    }

    [Fact]
    public void Compare_Matching_IsMatch()
    {
        var input = new OpDigestInput("start", 0, P(("ip", "127.0.0.20")), []);
        var cmp = OpDigest.Compare(input, new RecordedDigests("c85a9e95c9e9147a613b270c79b58db6"), sanitized: true);
        Assert.Equal(DigestVerdict.Match, cmp.Verdict);
    }

    [Fact]
    public void Compare_ChangedParameter_NonRecurringWithoutExtra_IsAll()
    {
        var input = new OpDigestInput("start", 0, P(("ip", "127.0.0.21")), []);
        Assert.Equal(DigestVerdict.All, OpDigest.Compare(input, new RecordedDigests("c85a9e95c9e9147a613b270c79b58db6"), true).Verdict);
    }

    [Fact]
    public void Compare_MissingOpDigest_IsUnknown()
    {
        var input = new OpDigestInput("start", 0, [], []);
        Assert.Equal(DigestVerdict.Unknown, OpDigest.Compare(input, new RecordedDigests(null), true).Verdict);
    }

    [Fact]
    public void Compare_RestartDigestMismatch_WinsOverMatchingOpDigest()
    {
        var input = new OpDigestInput("start", 0, P(("state", "x")), []);
        var all = OpDigest.ComputeAll(input).All;
        var cmp = OpDigest.Compare(input, new RecordedDigests(all, RestartDigest: "00", ForceRestart: " state "), true);
        Assert.Equal(DigestVerdict.Restart, cmp.Verdict);
    }

    [Fact]
    public void Compare_EmptyForceRestartList_RestartDigestIsEmptyDigest()
    {
        var input = new OpDigestInput("start", 0, P(("state", "x")), []);
        var digests = OpDigest.ComputeAll(input, new RecordedDigests(null, RestartDigest: "y", ForceRestart: ""));
        Assert.Equal(DigestText.EmptyDigest, digests.Restart);
    }

    [Fact]
    public void Compare_Sanitized_OnlyPrivateChange_IsVetoed_ButNotInLiveMode()
    {
        var old = new OpDigestInput("start", 0, P(("fake", "foo"), ("passwd", "old")), []);
        var now = old with { ResourceParameters = P(("fake", "foo"), ("passwd", "new")) };
        var recorded = new RecordedDigests(OpDigest.ComputeAll(old).All, SecureDigest: OpDigest.ComputeAll(old).Secure,
            SecureParams: " passwd ", FeatureSet: "3.16.1");
        var sanitized = OpDigest.Compare(now, recorded, sanitized: true);
        Assert.Equal(DigestVerdict.Match, sanitized.Verdict);
        Assert.True(sanitized.OnlyPrivateChanged);
        Assert.Equal(DigestVerdict.All, OpDigest.Compare(now, recorded, sanitized: false).Verdict);
    }

    [Fact]
    public void SecureDigest_OldFeatureSet_StonithDropsFencingParameters_AndOpParameters()
    {
        var input = new OpDigestInput("monitor", 60000,
            P(("pcmk_host_list", "n1"), ("pcmk_reboot_action", "off"), ("pcmk_delay_max", "3"), ("ipaddr", "1.2.3.4"), ("passwd", "s")),
            P(("extra", "1")), IsStonith: true);
        var digests = OpDigest.ComputeAll(input, new RecordedDigests("x", FeatureSet: "3.0.12"));
        Assert.Equal(DigestText.Digest(P(("ipaddr", "1.2.3.4"))), digests.Secure);
    }

    [Fact]
    public void Digest_IsIndependentOfInsertionOrder_Property()
    {
        Prop.ForAll((int seed) =>
        {
            var rnd = new Random(seed);
            var pairs = Enumerable.Range(0, rnd.Next(0, 8))
                .Select(i => new KeyValuePair<string, string>("k" + rnd.Next(0, 1000) + "_" + i, rnd.Next().ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .ToArray();
            var shuffled = pairs.OrderBy(_ => rnd.Next()).ToArray();
            return DigestText.Digest(pairs) == DigestText.Digest(shuffled);
        }).QuickCheckThrowOnFailure();
    }
}
