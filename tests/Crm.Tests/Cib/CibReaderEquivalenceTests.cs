using System.Collections;
using System.Reflection;
using System.Text;
using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.TestSupport;
using Cluster.TestSupport.Cib;

namespace Cluster.Crm.Tests.Cib;

/// <summary>
/// The three ways a CIB becomes a model must agree exactly: the fast UTF-8 reader of files
/// (<see cref="Cluster.Crm.Cib.CibDocument.Load"/>), the streaming <c>XmlReader</c> of text
/// (<see cref="Cluster.Crm.Cib.CibDocument.Parse"/>) and the DOM walk of an element
/// (<see cref="Cluster.Crm.Cib.CibDocument.FromElement"/>), compared as a dump of every public property.
/// </summary>
public class CibReaderEquivalenceTests
{
    private static string Corpus
    {
        get
        {
            var corpus = Path.Combine(RepoPaths.Shared, "conformance", "scheduler");
            return Directory.Exists(corpus) ? corpus : "/work/shared/conformance/scheduler";
        }
    }

    /// <summary>Whether the fast reader took the file itself (rather than handing it to the standard reader).</summary>
    private static bool FastPathAccepts(string path) => FastRead(path, int.MaxValue) is not null;

    /// <summary>The fast reader's model, null if it declined; a status section of <paramref name="parallelFrom"/> bytes or more is split between two threads.</summary>
    private static Cluster.Crm.Cib.CibDocument? FastRead(string path, int parallelFrom)
    {
        var type = typeof(Cluster.Crm.Cib.CibDocument).Assembly.GetType("Cluster.Crm.Cib.Utf8CibReader", throwOnError: true)!;
        var tryRead = type.GetMethod("TryRead", BindingFlags.Static | BindingFlags.NonPublic, [typeof(byte[]), typeof(Func<TextReader>), typeof(int)])!;
        var bytes = File.ReadAllBytes(path);
        Func<TextReader> open = () => new StreamReader(new MemoryStream(bytes));
        return (Cluster.Crm.Cib.CibDocument?)tryRead.Invoke(null, [bytes, open, parallelFrom]);
    }

    [Fact]
    public void Status_sections_split_between_two_threads_give_the_same_model()
    {
        // Threshold 0: every status section with a node_state in its second half is split there.
        var files = Directory.GetFiles(Corpus, "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var mismatches = new List<string>();
        var read = 0;
        foreach (var file in files)
        {
            var split = FastRead(file, 0);
            if (split is null) continue;
            read++;
            var dom = Dump(Cluster.Crm.Cib.CibDocument.FromElement(XElement.Parse(File.ReadAllText(file))));
            if (Dump(split) != dom) mismatches.Add(Path.GetFileName(file));
        }
        Assert.Empty(mismatches);
        Assert.True(read * 10 >= files.Count * 9, $"split reading took only {read} of {files.Count} corpus files");
    }

    [Fact]
    public void Every_corpus_cib_gives_the_same_model_from_the_fast_reader_the_stream_reader_and_the_dom()
    {
        var files = Directory.GetFiles(Corpus, "*.xml", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.True(files.Count > 300, $"expected the conformance corpus, found {files.Count} files");
        var mismatches = new List<string>();
        var fast = 0;
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var dom = Dump(Cluster.Crm.Cib.CibDocument.FromElement(XElement.Parse(text, LoadOptions.SetLineInfo)));
            if (Dump(Cluster.Crm.Cib.CibDocument.Load(file)) != dom) mismatches.Add($"{Path.GetFileName(file)}: Load differs from the DOM");
            if (Dump(Cluster.Crm.Cib.CibDocument.Parse(text)) != dom) mismatches.Add($"{Path.GetFileName(file)}: Parse differs from the DOM");
            if (FastPathAccepts(file)) fast++;
        }
        Assert.Empty(mismatches);
        // The corpus is what Pacemaker writes: nearly all of it must take the fast path, or this test proves little.
        Assert.True(fast * 10 >= files.Count * 9, $"fast reader took only {fast} of {files.Count} corpus files");
    }

    [Fact]
    public void A_generated_large_cib_with_history_reads_the_same_both_ways()
    {
        var xml = CibGenerator.Large(6, 40, CibGenerator.LargeHistory.AllRunningOneNodeDied);
        var path = Path.Combine(Path.GetTempPath(), $"cib-equivalence-{Environment.ProcessId}.xml");
        try
        {
            File.WriteAllText(path, xml);
            Assert.True(FastPathAccepts(path));
            var loaded = Cluster.Crm.Cib.CibDocument.Load(path);
            var dom = Dump(Cluster.Crm.Cib.CibDocument.FromElement(XElement.Parse(xml)));
            Assert.Equal(dom, Dump(loaded));
            Assert.Equal(dom, Dump(FastRead(path, 0)));
            Assert.Equal(6, loaded.Status.Count);
            Assert.NotEmpty(loaded.Status.SelectMany(s => s.Resources).SelectMany(r => r.Ops));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private const string Document = """
        <cib epoch="3" num_updates="1" admin_epoch="0">
          <configuration><crm_config/><nodes><node id="1" uname="n1"/></nodes><resources/><constraints/></configuration>
          <status>
            <node_state id="1" uname="n1" in_ccm="true" crmd="online" join="member" expected="member">
              <lrm id="1"><lrm_resources><lrm_resource id="r" class="ocf" provider="heartbeat" type="Dummy">
                <lrm_rsc_op id="r_last_0" operation="start" call-id="4" rc-code="0" op-status="0" interval="0" exit-reason="VALUE"/>
              </lrm_resource></lrm_resources></lrm>
            </node_state>
          </status>
        </cib>
        """;

    [Theory]
    [InlineData("a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;", true)]
    [InlineData("line1&#10;line2", false)]
    [InlineData("tab\there\r\nand\rreturn", true)]
    [InlineData("plain", true)]
    public void Attribute_values_decode_as_xml_defines_whichever_reader_takes_them(string value, bool fastPath)
    {
        var xml = Document.Replace("VALUE", value, StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"cib-values-{Environment.ProcessId}-{value.GetHashCode()}.xml");
        try
        {
            File.WriteAllText(path, xml);
            Assert.Equal(fastPath, FastPathAccepts(path));
            var expected = Cluster.Crm.Cib.CibDocument.FromElement(XElement.Parse(xml));
            var loaded = Cluster.Crm.Cib.CibDocument.Load(path);
            Assert.Equal(Dump(expected), Dump(loaded));
            var op = loaded.Status[0].Resources[0].Ops[0];
            Assert.Equal(expected.Status[0].Resources[0].Ops[0].ExitReason, op.ExitReason);
            Assert.Equal(op.ExitReason, op.Attributes["exit-reason"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("<lrm_rsc_op id=\"x\" id=\"y\"/>", "duplicate")]
    [InlineData("<lrm_rsc_op id=\"x\"operation=\"y\"/>", "")]
    [InlineData("<lrm_rsc_op id=\"x\">", "")]
    [InlineData("<lrm_rsc_op id=\"a<b\"/>", "")]
    [InlineData("<lrm_rsc_op id=\"x\" other=\"&bogus;\"/>", "")]
    [InlineData("<!-- a -- b -->", "")]
    public void Malformed_status_gives_the_standard_readers_error(string fragment, string expectedText)
    {
        var xml = Document.Replace("<lrm_rsc_op id=\"r_last_0\"", fragment + "<lrm_rsc_op id=\"r_last_0\"", StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"cib-malformed-{Environment.ProcessId}-{fragment.GetHashCode()}.xml");
        try
        {
            File.WriteAllText(path, xml);
            Assert.False(FastPathAccepts(path));
            var e = Assert.Throws<CibParseException>(() => Cluster.Crm.Cib.CibDocument.Load(path));
            Assert.Contains("malformed XML", e.Message);
            Assert.Contains(expectedText, e.Message);
            Assert.Contains("Line ", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Comments_namespaces_and_a_declaration_read_the_same_as_the_dom()
    {
        var variants = new[]
        {
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- written by hand -->\n" + Document.Replace("<lrm id=\"1\">", "<lrm id=\"1\"><!-- history -->", StringComparison.Ordinal),
            Document.Replace("<cib ", "<cib xmlns=\"urn:x\" ", StringComparison.Ordinal),
            Document.Replace("<status>", "<status><other a='1'><node_state id='9'/></other>", StringComparison.Ordinal),
        };
        foreach (var xml in variants)
        {
            var path = Path.Combine(Path.GetTempPath(), $"cib-variant-{Environment.ProcessId}.xml");
            try
            {
                File.WriteAllText(path, xml);
                Assert.Equal(Dump(Cluster.Crm.Cib.CibDocument.FromElement(XElement.Parse(xml))), Dump(Cluster.Crm.Cib.CibDocument.Load(path)));
            }
            finally
            {
                File.Delete(path);
            }
        }
    }

    [Fact]
    public void The_source_document_of_a_loaded_cib_is_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"cib-source-{Environment.ProcessId}.xml");
        try
        {
            File.WriteAllText(path, Document);
            var cib = Cluster.Crm.Cib.CibDocument.Load(path);
            Assert.True(XNode.DeepEquals(XElement.Parse(Document), cib.Source));
            Assert.Same(cib.Source, cib.Source);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Validation_errors_name_the_same_file_lines_whichever_reader_read_the_cib()
    {
        // A comment and a declaration before the root, so the configuration does not start on line 1.
        var xml = "<?xml version=\"1.0\"?>\n<!-- line 2\n line 3 -->\n" + Document
            .Replace("<resources/>", "<resources>\n<primitive id=\"p\" class=\"ocf\" type=\"Dummy\"/>\n</resources>", StringComparison.Ordinal)
            .Replace("<constraints/>", "<constraints>\n<rsc_location id=\"p\" rsc=\"nope\" node=\"n1\" score=\"x\"/>\n</constraints>", StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), $"cib-lines-{Environment.ProcessId}.xml");
        try
        {
            File.WriteAllText(path, xml);
            Assert.True(FastPathAccepts(path));
            var expected = CibVerifier.Validate(Cluster.Crm.Cib.CibDocument.Parse(xml)).Select(e => e.ToString()).ToList();
            Assert.Equal(expected, CibVerifier.Validate(Cluster.Crm.Cib.CibDocument.Load(path)).Select(e => e.ToString()).ToList());
            // The primitive is on line 6 of the file, the location constraint on line 8.
            Assert.Contains(expected, e => e.StartsWith("line 6: <primitive id=\"p\">: class 'ocf' requires a provider", StringComparison.Ordinal));
            Assert.Contains(expected, e => e.StartsWith("line 8: <rsc_location id=\"p\">: duplicate id", StringComparison.Ordinal));
            Assert.Contains(expected, e => e.StartsWith("line 8: <rsc_location id=\"p\">: rsc references an unknown resource", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Every public property, recursively (lists item by item), as text.</summary>
    internal static string Dump(object? value)
    {
        var sb = new StringBuilder();
        Write(sb, value, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, int depth)
    {
        if (depth > 40) throw new InvalidOperationException("model too deep (cycle?)");
        switch (value)
        {
            case null:
                sb.Append("null");
                return;
            case string s:
                sb.Append('"').Append(s).Append('"');
                return;
            case XObject:
                sb.Append("<xml>");
                return;
            case IDictionary<string, string> d:
                sb.Append('{');
                foreach (var (k, v) in d) sb.Append(k).Append('=').Append(v).Append(';');
                sb.Append('}');
                return;
            case IReadOnlyDictionary<string, string> rd:
                sb.Append('{');
                foreach (var (k, v) in rd) sb.Append(k).Append('=').Append(v).Append(';');
                sb.Append('}');
                return;
            case IEnumerable e:
                sb.Append('[');
                foreach (var item in e)
                {
                    Write(sb, item, depth + 1);
                    sb.Append(',');
                }
                sb.Append(']');
                return;
        }
        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || type.Namespace == "System")
        {
            sb.Append(value);
            return;
        }
        sb.Append(type.Name).Append('(');
        foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            if (p.GetIndexParameters().Length > 0 || p.Name is "EqualityContract" or "Source") continue;
            sb.Append(p.Name).Append(':');
            Write(sb, p.GetValue(value), depth + 1);
            sb.Append(' ');
        }
        sb.Append(')');
    }
}
