using Cluster.Crm.Cib;

namespace Cluster.Crm.Tests.Cib;

/// <summary>Inputs that used to throw out of the CIB readers and rules instead of an answer or a <see cref="CibParseException"/>.</summary>
public class CibHostileInputTests
{
    private static string Nested(int depth) =>
        "<cib><configuration/><status>" + string.Concat(Enumerable.Repeat("<x>", depth)) + string.Concat(Enumerable.Repeat("</x>", depth)) + "</status></cib>";

    [Fact]
    public void Both_readers_refuse_elements_nested_deeper_than_libxml2_allows_and_accept_that_depth()
    {
        var file = Path.GetTempFileName();
        try
        {
            // <cib> and <status> are two levels: 254 more reach the limit of 256.
            Assert.NotNull(CibDocument.Parse(Nested(254)));
            File.WriteAllText(file, Nested(254));
            Assert.NotNull(CibDocument.Load(file));

            var parsed = Assert.Throws<CibParseException>(() => CibDocument.Parse(Nested(255)));
            Assert.Contains("nested more than 256 deep", parsed.Message, StringComparison.Ordinal);
            File.WriteAllText(file, Nested(100_000));
            var loaded = Assert.Throws<CibParseException>(() => CibDocument.Load(file));
            Assert.Contains("nested more than 256 deep", loaded.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_file_that_ends_inside_the_configuration_is_malformed_xml_not_an_exception()
    {
        // Found by cluster-fuzz (cib seed 1 input 1789): the fast reader cut a fragment of negative length.
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "<cib epoch=\"1\">\n  <configuration>\n    <nodes>\n      <node id=\"1\" uname=\"n1\"/>\n    </nodes>\n");
            var e = Assert.Throws<CibParseException>(() => CibDocument.Load(file));
            Assert.Contains("malformed XML", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("99999999999999999999")]
    [InlineData("9999999999999999s")]
    [InlineData("99999999999999h")]
    [InlineData("P99999999999999D")]
    public void Durations_too_large_for_milliseconds_are_no_duration_not_an_overflow(string text)
    {
        // cluster-fuzz cib seed 1 inputs 21801, 34190, 37918, 40903: an op interval out of range.
        Assert.Null(Duration.ParseMs(text));
        Assert.Equal(3_600_000, Duration.ParseMs("1h"));
    }

    [Theory]
    [InlineData("0000-001")]
    [InlineData("9999-999T23:59")]
    public void Ordinal_dates_outside_the_calendar_are_invalid_not_an_exception(string text)
    {
        Assert.Null(IsoDate.TryParse(text));
    }

    [Fact]
    public void Durations_beyond_the_calendar_clamp_to_its_ends()
    {
        var start = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(DateTimeOffset.MinValue, DateExpression.AddClamped(start, TimeSpan.MinValue + TimeSpan.FromTicks(1)));
        Assert.Equal(DateTimeOffset.MaxValue, DateExpression.AddClamped(start, TimeSpan.MaxValue));
        Assert.Equal(start.AddDays(1), DateExpression.AddClamped(start, TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Input_that_cannot_be_xml_stops_at_its_first_bad_byte()
    {
        var zeros = Assert.Throws<CibParseException>(() => CappedCibInput.ReadStream(new MemoryStream(new byte[100]), "zeros"));
        Assert.Equal("zeros: not an XML document: byte 0 is 0x00", zeros.Message);
        var late = Assert.Throws<CibParseException>(() => CappedCibInput.ReadStream(new MemoryStream("\uFEFF  <cib>\u0001"u8.ToArray()), "late"));
        Assert.Equal("late: not an XML document: byte 10 is 0x01", late.Message);
        var big = Assert.Throws<CibParseException>(() => CappedCibInput.ReadStream(new MemoryStream(new byte[4096].Select(_ => (byte)' ').ToArray()), "big", maxBytes: 1000));
        Assert.Contains("larger than", big.Message, StringComparison.Ordinal);
        Assert.Equal("<cib/>", CappedCibInput.ReadText(new StringReader("<cib/>")));
        Assert.Throws<CibParseException>(() => CappedCibInput.ReadText(new StringReader("\0\0\0")));
    }

    [Fact]
    public void The_vectorised_bad_byte_search_finds_every_byte_XML_forbids_at_every_offset_and_no_other()
    {
        // The definition, byte by byte: C0 controls but tab, LF and CR; 0xC0 and 0xC1; 0xF5 and up.
        static bool Bad(int b) => b < 0x20 ? b is not ('\t' or '\n' or '\r') : b is 0xC0 or 0xC1 or >= 0xF5;
        var random = new Random(7);
        var clean = Enumerable.Range(0, 256).Where(b => !Bad(b)).Select(b => (byte)b).ToArray();
        foreach (var length in new[] { 0, 1, 31, 32, 33, 64, 100, 1000 })
        {
            var buffer = new byte[length];
            for (var i = 0; i < length; i++) buffer[i] = clean[random.Next(clean.Length)];
            Assert.Equal(-1, CappedCibInput.IndexOfBad(buffer));
            for (var b = 0; b < 256; b++)
                foreach (var at in new[] { 0, length / 2, length - 1 }.Where(x => x >= 0 && x < length).Distinct())
                {
                    var copy = (byte[])buffer.Clone();
                    copy[at] = (byte)b;
                    Assert.Equal(Bad(b) ? at : -1, CappedCibInput.IndexOfBad(copy));
                }
        }
    }
}
