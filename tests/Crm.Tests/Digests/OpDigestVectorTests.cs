using Cluster.Crm.Digests;

namespace Cluster.Crm.Tests.Digests;

/// <summary>The verified test vectors of shared/docs/op-digest.md §8, one test each.</summary>
public sealed class OpDigestVectorTests
{
    private static readonly KeyValuePair<string, string>[] None = [];

    private static KeyValuePair<string, string>[] P(params (string Name, string Value)[] pairs) =>
        [.. pairs.Select(p => new KeyValuePair<string, string>(p.Name, p.Value))];

    private static void AssertAll(OpDigestInput input, string expectedText, string expectedDigest)
    {
        var digests = OpDigest.ComputeAll(input);
        Assert.Equal(expectedText, digests.AllText);
        Assert.Equal(expectedDigest, digests.All);
    }

    [Fact]
    public void V01_NoParameters_NonRecurring_IsEmptyParametersText()
    {
        AssertAll(new("start", 0, None, None), " <parameters/>\n", "f2317cad3d54cec5d7d7aa7d0bf35cf8");
        Assert.Equal(DigestText.EmptyDigest, OpDigest.ComputeAll(new("stop", 0, None, None)).All);
    }

    [Fact]
    public void V02_NoParameters_RecurringMonitor_DigestsDefaultTimeout() =>
        AssertAll(new("monitor", 10000, None, None),
            " <parameters CRM_meta_timeout=\"20000\"/>\n", "4811cef7f7f94e3a35a70be7916cb2fd");

    [Fact]
    public void V03_Params1_Start_DigestsIpOnly() =>
        AssertAll(new("start", 0, P(("ip", "127.0.0.20")), None),
            " <parameters ip=\"127.0.0.20\"/>\n", "c85a9e95c9e9147a613b270c79b58db6");

    [Fact]
    public void V04_Params1_Monitor5s_NoTimeout_UsesDefault()
    {
        var timeout = OpTimeout.ResolveMs();
        AssertAll(new("monitor", TimeSpec.IntervalMs("5s"), P(("ip", "127.0.0.20")), None, timeout),
            " <parameters CRM_meta_timeout=\"20000\" ip=\"127.0.0.20\"/>\n", "cccb682889edd8bad617ff3e0c5d6ab7");
    }

    [Fact]
    public void V05_Params1_MonitorWithOpInstanceAttribute_AndTimeout21s()
    {
        var timeout = OpTimeout.ResolveMs(opAttribute: "21s");
        AssertAll(new("monitor", 5000, P(("ip", "127.0.0.11")), P(("new_attr", "some_value")), timeout),
            " <parameters CRM_meta_timeout=\"21000\" ip=\"127.0.0.11\" new_attr=\"some_value\"/>\n",
            "4fe1791402ad55b588eb1708a30a7080");
    }

    private static readonly KeyValuePair<string, string>[] EscParams = P(
        ("a", "x<y>z & \"q\" 's'"), ("b", "tab\tnl\ncr\rend"), ("d", ""), ("Zed", "upper"), ("_u", "under"),
        ("fromdefaults", "yes"));

    [Fact]
    public void V06_Escaping_ByteOrderSort_EmptyValueKept()
    {
        var resolved = ParameterSet.Resolve([
            [AttributeBlock.Of(("a", "x<y>z & \"q\" 's'"), ("b", "tab\tnl\ncr\rend"), ("d", ""), ("Zed", "upper"), ("_u", "under"))],
            [AttributeBlock.Of(("fromdefaults", "yes"))],
        ]);
        AssertAll(new("start", 0, [.. resolved.Items], None),
            " <parameters Zed=\"upper\" _u=\"under\" a=\"x&lt;y&gt;z &amp; &quot;q&quot; &apos;s&apos;\" b=\"tab    nl\\ncr\\rend\" d=\"\" fromdefaults=\"yes\"/>\n",
            "d8822b10e678831679523615093e721e");
    }

    [Fact]
    public void V07_Escaping_Monitor10s_Timeout1min()
    {
        var timeout = OpTimeout.ResolveMs(opAttribute: "1min", opDefaults: "45s");
        AssertAll(new("monitor", TimeSpec.IntervalMs("10s"), EscParams, None, timeout),
            " <parameters CRM_meta_timeout=\"60000\" Zed=\"upper\" _u=\"under\" a=\"x&lt;y&gt;z &amp; &quot;q&quot; &apos;s&apos;\" b=\"tab    nl\\ncr\\rend\" d=\"\" fromdefaults=\"yes\"/>\n",
            "e0a6d2c80b953bfbfbfd6303538d643f");
    }

    private static ParameterSet SetsParams() => ParameterSet.Resolve([
        [
            AttributeBlock.Of(("v", "first")),
            AttributeBlock.Of(("v", "second")),
            AttributeBlock.Scored(5, ("w", "scored")),
            AttributeBlock.Scored(1, ("w", "lowscore")),
        ],
        [AttributeBlock.Of(("fromdefaults", "yes"))],
    ]);

    [Fact]
    public void V08_Blocks_EqualScoreLastWins_HigherScoreWins() =>
        AssertAll(new("start", 0, [.. SetsParams().Items], None),
            " <parameters fromdefaults=\"yes\" v=\"second\" w=\"scored\"/>\n", "7b62f862ca22a59389157367f27706fe");

    [Fact]
    public void V09_IsoIntervalMonitor_OpDefaultsTimeout()
    {
        Assert.Equal(15000, TimeSpec.IntervalMs("P0DT0H0M15S"));
        var timeout = OpTimeout.ResolveMs(opDefaults: "45s");
        AssertAll(new("monitor", TimeSpec.IntervalMs("P0DT0H0M15S"), [.. SetsParams().Items], None, timeout),
            " <parameters CRM_meta_timeout=\"45000\" fromdefaults=\"yes\" v=\"second\" w=\"scored\"/>\n",
            "dab83d0830ee8cd4fbb367e7033f122f");
    }

    private static readonly KeyValuePair<string, string>[] ExtraRsc = P(("p", "rsc"), ("fromdefaults", "yes"));
    private static readonly KeyValuePair<string, string>[] ExtraOp = P(("p", "op"), ("q", "oponly"));

    [Fact]
    public void V10_Recorded_OpInstanceAttributesWinOverResourceParameters()
    {
        var input = new OpDigestInput("start", 0, ExtraRsc, ExtraOp);
        Assert.Equal("c6d48ab4237040ab53e8b71e9af9e053", OpDigest.ComputeRecorded(input));
        Assert.Equal("c6d48ab4237040ab53e8b71e9af9e053",
            DigestText.Digest(P(("fromdefaults", "yes"), ("p", "op"), ("q", "oponly"))));
    }

    [Fact]
    public void V11_Scheduler_ResourceParametersWin_SoRecordedNeverMatches_Restart()
    {
        var input = new OpDigestInput("start", 0, ExtraRsc, ExtraOp);
        AssertAll(input, " <parameters fromdefaults=\"yes\" p=\"rsc\" q=\"oponly\"/>\n", "3bf4069c15b49a333f9f5946d07bc3aa");
        var cmp = OpDigest.Compare(input, new RecordedDigests(OpDigest.ComputeRecorded(input)), sanitized: true);
        Assert.Equal(DigestVerdict.Restart, cmp.Verdict);
    }

    [Fact]
    public void V12_Monitor_TimeoutInMilliseconds()
    {
        var timeout = OpTimeout.ResolveMs(opAttribute: "500ms", opDefaults: "45s");
        AssertAll(new("monitor", 20000, ExtraRsc, None, timeout),
            " <parameters CRM_meta_timeout=\"500\" fromdefaults=\"yes\" p=\"rsc\"/>\n", "9023af969f88ff0d7a9e1997ea23b061");
    }

    private static ParameterSet CloneChild() => ParameterSet.Resolve([
        [AttributeBlock.Of(("own", "child"))],
        [AttributeBlock.Of(("fromclone", "1"), ("own", "clone"))],
        [AttributeBlock.Of(("fromdefaults", "yes"))],
    ]);

    [Fact]
    public void V13_CloneChild_InheritsCloneParameters_ChildWins() =>
        AssertAll(new("start", 0, [.. CloneChild().Items], None),
            " <parameters fromclone=\"1\" fromdefaults=\"yes\" own=\"child\"/>\n", "91cdcacf0d488058771c8677b6ea91c4");

    [Fact]
    public void V14_CloneChild_Monitor11s_OpDefaultsTimeout() =>
        AssertAll(new("monitor", 11000, [.. CloneChild().Items], None, OpTimeout.ResolveMs(opDefaults: "45s")),
            " <parameters CRM_meta_timeout=\"45000\" fromclone=\"1\" fromdefaults=\"yes\" own=\"child\"/>\n",
            "39ed43fdde310c72cea6998e24f8906f");

    [Fact]
    public void V15_Stonith_PcmkMonitorTimeoutDoesNotApplyToRecurringMonitor()
    {
        // The caller passes pcmk_monitor_timeout only for start and probes; a recurring monitor
        // falls back to op_defaults.
        var timeout = OpTimeout.ResolveMs(opDefaults: "45s");
        AssertAll(new("monitor", 60000, P(("pcmk_host_list", "node1"), ("pcmk_monitor_timeout", "99s"), ("fromdefaults", "yes")), None, timeout, IsStonith: true),
            " <parameters CRM_meta_timeout=\"45000\" fromdefaults=\"yes\" pcmk_host_list=\"node1\" pcmk_monitor_timeout=\"99s\"/>\n",
            "690b4bf0623bac9a07e74b5038701fe7");
    }

    [Fact]
    public void V16_SecureDigest_Fs3160_SchedulerDropsTimeout()
    {
        var input = new OpDigestInput("monitor", 10000, P(("fake", "foo"), ("passwd", "whatever")), None);
        var recorded = new RecordedDigests("x", SecureParams: "  passwd  ", SecureDigest: "5bdf174ed64795a495a62489f1057eff", FeatureSet: "3.16.0");
        Assert.Equal("e989cbe4a0e9492305ffdc8c6391ffee", OpDigest.ComputeAll(input, recorded).Secure);
        Assert.Equal("e989cbe4a0e9492305ffdc8c6391ffee", DigestText.Digest(P(("fake", "foo"))));
        // What the controller records includes the timeout, a 2.1.5 inconsistency.
        Assert.Equal("5bdf174ed64795a495a62489f1057eff", DigestText.Digest(P(("CRM_meta_timeout", "20000"), ("fake", "foo"))));
    }

    [Fact]
    public void V17_RestartDigest_KeepsOnlyForceRestartParameters()
    {
        var input = new OpDigestInput("start", 0, P(("fake", "foo"), ("passwd", "whatever")), None);
        var recorded = new RecordedDigests("x", RestartDigest: "5de129d7fe42dbcfe537f2c63b1921b6", ForceRestart: " passwd ");
        var digests = OpDigest.ComputeAll(input, recorded);
        Assert.Equal("5de129d7fe42dbcfe537f2c63b1921b6", digests.Restart);
    }

    [Fact]
    public void V18_RestartDigest_Bug5025_3_InstanceAttributesNamedLikeMeta()
    {
        var input = new OpDigestInput("start", 0, P(("state", "anywhere"), ("target-role", "Started"), ("allow-migrate", "true")), None);
        var recorded = new RecordedDigests("x", RestartDigest: "935bd63def9811e887b8084fce1d3a42", ForceRestart: " state ", FeatureSet: "3.0.6");
        Assert.Equal("935bd63def9811e887b8084fce1d3a42", OpDigest.ComputeAll(input, recorded).Restart);
    }

    [Fact]
    public void V19_Ip127_0_0_14_Start_Is31Bytes()
    {
        var pairs = P(("ip", "127.0.0.14"));
        Assert.Equal(31, DigestText.Serialize(pairs).Length);
        AssertAll(new("start", 0, pairs, None), " <parameters ip=\"127.0.0.14\"/>\n", "74307acd7ffa84f71fe8a46100cdbbb0");
    }
}
