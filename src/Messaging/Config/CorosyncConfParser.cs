using System.Collections.Immutable;
using System.Globalization;
using Cluster.Messaging.Cmap;

namespace Cluster.Messaging.Config;

/// <summary>
/// The corosync.conf grammar (coroparse): <c>name {</c> ... <c>}</c> sections, <c>key: value</c>
/// lines, <c>#</c> comment lines. Produces typed cmap keys or the first error as
/// <c>file:line: message</c> in the real parser's wording.
/// Beyond the reference, a trailing <c> # comment</c> after a value or a brace, and non-breaking
/// spaces used as blanks, are accepted (tutorial files have both) with one warning each naming the lines.
/// </summary>
public static class CorosyncConfParser
{
    /// <summary>
    /// corosync's cmap key name limit (ICMAP_KEYNAME_MAXLEN): a section or key whose dotted path
    /// would reach it stops the parse, which also bounds the nesting depth (and the memory that
    /// 100,000 nested sections would otherwise take, each storing its full path).
    /// </summary>
    public const int MaxKeyNameLength = 255;

    private sealed class Section(string name, string path, int line, int rawLength)
    {
        public string Name { get; } = name;
        /// <summary>Length of the dotted path as written (names, not our node indexes), as the real parser counts it.</summary>
        public int RawLength { get; } = rawLength;
        public string Path { get; } = path;
        public int Line { get; } = line;
        /// <summary>Keys of sections whose path depends on their content (interface, logger_subsys), held until the close.</summary>
        public List<(string Key, string Value, int Line)> Buffered { get; } = [];
        public int NodeCount { get; set; }
    }

    private sealed class ParseFailure(ConfigDiagnostic diagnostic) : Exception(diagnostic.Message)
    {
        public ConfigDiagnostic Diagnostic { get; } = diagnostic;
    }

    public static ConfParseResult Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        var keys = ImmutableArray.CreateBuilder<ConfigKey>();
        var commentLines = new List<int>();
        var nbspLines = new List<int>();
        var stack = new Stack<Section>();
        var root = new Section("", "", 0, 0);
        stack.Push(root);
        var lines = text.Split('\n');
        var lineCount = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        try
        {
            for (var i = 0; i < lineCount; i++)
            {
                var number = i + 1;
                var raw = lines[i];
                // corosync reads lines as C strings: a NUL ends the line (and never reaches a path).
                if (raw.IndexOf('\0', StringComparison.Ordinal) is var nul and >= 0)
                    raw = raw[..nul];
                if (raw.Contains('\u00a0', StringComparison.Ordinal))
                {
                    nbspLines.Add(number);
                    raw = raw.Replace('\u00a0', ' ');
                }
                var line = raw.Trim(' ', '\t', '\r', '\f', '\v');
                if (line.Length == 0 || line[0] == '#')
                    continue;
                var comment = TrailingCommentStart(line);
                if (comment >= 0)
                {
                    commentLines.Add(number);
                    line = line[..comment].TrimEnd(' ', '\t');
                }

                var open = line.IndexOf('{', StringComparison.Ordinal);
                if (open >= 0)
                {
                    if (open != line.Length - 1)
                        throw Fail(file, number, "Extra characters after opening bracket '{'");
                    var name = line[..open].Trim(' ', '\t');
                    if (name.Length == 0)
                        throw Fail(file, number, "Missing section name before opening bracket '{'");
                    if (stack.Peek().RawLength + name.Length + 1 >= MaxKeyNameLength)
                        throw Fail(file, number, "Start of section makes total cmap path too long");
                    OpenSection(stack, name, number);
                    continue;
                }
                if (line.Contains('}', StringComparison.Ordinal))
                {
                    if (line != "}")
                        throw Fail(file, number, "Extra characters before or after closing bracket '}'");
                    if (stack.Count == 1)
                        throw Fail(file, number, "Unexpected closing brace");
                    CloseSection(stack, file, number, keys);
                    continue;
                }
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon < 0)
                    throw Fail(file, number, "Line is not opening or closing section or key value");
                var key = line[..colon].Trim(' ', '\t');
                var value = line[(colon + 1)..].Trim(' ', '\t');
                if (key.Length == 0)
                    throw Fail(file, number, "Missing key name before ':'");
                if (stack.Peek().RawLength + key.Length + 1 >= MaxKeyNameLength)
                    throw Fail(file, number, "New key makes total cmap path too long");
                AddKey(stack.Peek(), key, value, number, file, keys);
            }
            if (stack.Count > 1)
                throw Fail(file, lineCount, "Missing closing brace");
        }
        catch (ParseFailure failure)
        {
            return new ConfParseResult(null, failure.Diagnostic);
        }

        var warnings = ImmutableArray.CreateBuilder<ConfigDiagnostic>();
        if (commentLines.Count > 0)
            warnings.Add(ConfigDiagnostic.Warning(file, 0,
                $"trailing '#' comments ignored on line{Plural(commentLines)} {Lines(commentLines)} (corosync 3.1 itself rejects them: keep comments on their own lines)"));
        if (nbspLines.Count > 0)
            warnings.Add(ConfigDiagnostic.Warning(file, 0,
                $"non-breaking spaces (U+00A0) read as blanks on line{Plural(nbspLines)} {Lines(nbspLines)}"));
        return new ConfParseResult(new ParsedConf(file, keys.ToImmutable(), warnings.ToImmutable()), null);
    }

    private static string Plural(List<int> lines) => lines.Count == 1 ? "" : "s";

    private static string Lines(List<int> lines) => string.Join(", ", lines.Select(l => l.ToString(CultureInfo.InvariantCulture)));

    /// <summary>
    /// Where a trailing comment starts: a '#' after a blank or right after a brace. A '#' inside a
    /// word (<c>cluster_name: a#b</c>) is part of the value, as in corosync.
    /// </summary>
    private static int TrailingCommentStart(string line)
    {
        for (var i = 1; i < line.Length; i++)
        {
            if (line[i] == '#' && line[i - 1] is ' ' or '\t' or '{' or '}')
                return i;
        }
        return -1;
    }

    private static ParseFailure Fail(string file, int line, string message) =>
        new(ConfigDiagnostic.ParserError(file, line, message));

    private static void OpenSection(Stack<Section> stack, string name, int line)
    {
        var parent = stack.Peek();
        string path;
        if (parent.Path == "nodelist" && name == "node")
            path = $"nodelist.node.{(parent.NodeCount++).ToString(CultureInfo.InvariantCulture)}";
        else
            path = parent.Path.Length == 0 ? name : $"{parent.Path}.{name}";
        stack.Push(new Section(name, path, line, parent.RawLength == 0 ? name.Length : parent.RawLength + 1 + name.Length));
    }

    private static bool IsBuffered(Section section) =>
        section.Path is "totem.interface" or "logging.logger_subsys";

    private static void AddKey(Section section, string key, string value, int line, string file, ImmutableArray<ConfigKey>.Builder keys)
    {
        if (IsBuffered(section))
        {
            // The path needs the link number / subsystem name, which may come later in the block;
            // type errors are still reported at once with the generic name, as corosync does.
            Typed(file, line, $"{section.Path}.{key}", $"{section.Path}.{key}", value);
            section.Buffered.Add((key, value, line));
            return;
        }
        if (section.Path == "uidgid" && key is "uid" or "gid")
        {
            // corosync stores "uid: hacluster" as the key uidgid.uid.hacluster = 1.
            keys.Add(new ConfigKey($"uidgid.{key}.{value}", CmapValue.U8(1), line));
            return;
        }
        var path = section.Path.Length == 0 ? key : $"{section.Path}.{key}";
        keys.Add(new ConfigKey(path, Typed(file, line, path, ConfKeys.Generic(path), value), line));
    }

    private static CmapValue Typed(string file, int line, string path, string generic, string value)
    {
        var type = ConfKeys.TypeOf(generic);
        if (!CmapValue.TryParse(type, value, out var typed))
        {
            throw Fail(file, line, string.Create(CultureInfo.InvariantCulture,
                $"Value of key \"{path}\" is expected to be integer in range ({type.MinValue()}..{type.MaxValue()}), but \"{value}\" was given"));
        }
        CheckEnumerated(file, line, generic, value);
        return typed;
    }

    /// <summary>Keys the real parser checks against a fixed set of words, with its messages.</summary>
    private static void CheckEnumerated(string file, int line, string generic, string value)
    {
        (string[] Allowed, string Message)? rule = generic switch
        {
            "totem.crypto_model" => (["nss", "openssl"], "Invalid crypto model. Should be nss or openssl"),
            "totem.crypto_cipher" => (["none", "aes256", "aes192", "aes128"], "Invalid cipher type. Should be none, aes256, aes192 or aes128"),
            "totem.crypto_hash" => (["none", "md5", "sha1", "sha256", "sha384", "sha512"], "Invalid hash type. Should be none, md5, sha1, sha256, sha384 or sha512"),
            "totem.ip_version" => (["ipv4", "ipv6", "ipv4-6", "ipv6-4"], "Invalid ip_version type"),
            "totem.knet_compression_model" => (["none", "zlib", "lz4", "lz4hc", "lzo2", "lzma", "bzip2", "zstd"],
                "Invalid compression model. Should be zlib, lz4, lz4hc, lzo2, lzma, bzip2 or zstd"),
            "system.sched_rr" => (["yes", "no"], "Invalid system.sched_rr value"),
            "system.move_to_root_cgroup" => (["yes", "no", "auto"], "Invalid system.move_to_root_cgroup"),
            "system.allow_knet_handle_fallback" => (["yes", "no"], "Invalid system.allow_knet_handle_fallback"),
            _ => null,
        };
        if (rule is { } r && !r.Allowed.Contains(value, StringComparer.Ordinal))
            throw Fail(file, line, r.Message);
    }

    private static void CloseSection(Stack<Section> stack, string file, int line, ImmutableArray<ConfigKey>.Builder keys)
    {
        var section = stack.Pop();
        if (section.Path == "totem.interface")
        {
            var link = LinkNumber(section);
            foreach (var (key, value, keyLine) in section.Buffered)
            {
                if (key == "linknumber")
                    continue;
                var path = $"totem.interface.{link}.{key}";
                keys.Add(new ConfigKey(path, Typed(file, keyLine, $"totem.interface.{key}", $"totem.interface.{key}", value), keyLine));
            }
        }
        else if (section.Path == "logging.logger_subsys")
        {
            var subsys = section.Buffered.LastOrDefault(k => k.Key == "subsys");
            if (subsys.Key is null)
                throw Fail(file, line, "No subsys key in logger_subsys directive");
            foreach (var (key, value, keyLine) in section.Buffered)
            {
                var path = $"logging.logger_subsys.{subsys.Value}.{key}";
                keys.Add(new ConfigKey(path, Typed(file, keyLine, path, $"logging.logger_subsys.{key}", value), keyLine));
            }
        }
    }

    /// <summary>
    /// The link an interface block configures: its linknumber, else (corosync 2.x files) its
    /// ringnumber, else 0. Mapping ringnumber is our choice: corosync 3.1 ignores it, so two 2.x
    /// interface blocks would collide on link 0.
    /// </summary>
    private static string LinkNumber(Section section)
    {
        var linknumber = section.Buffered.LastOrDefault(k => k.Key == "linknumber");
        if (linknumber.Key is not null)
            return byte.Parse(linknumber.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        var ring = section.Buffered.LastOrDefault(k => k.Key == "ringnumber");
        if (ring.Key is not null && byte.TryParse(ring.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            return number.ToString(CultureInfo.InvariantCulture);
        return "0";
    }
}
