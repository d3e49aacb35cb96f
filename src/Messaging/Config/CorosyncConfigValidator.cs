using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Cluster.Messaging.Config;

/// <summary>
/// Whole-config checks after parsing: what corosync 3.1.7 checks at startup (same wording), the
/// cross-field checks it misses (every nodeid, two_node with more nodes), and one warning per
/// legacy 1.x/2.x setting saying what we make of it.
/// </summary>
public sealed class CorosyncConfigValidator
{
    private readonly string _file;
    private readonly IReadOnlyDictionary<string, int> _lines;
    private readonly IAddressResolver _resolver;
    private readonly List<ConfigDiagnostic> _diagnostics = [];

    private CorosyncConfigValidator(string file, IReadOnlyDictionary<string, int> lines, IAddressResolver resolver)
    {
        _file = file;
        _lines = lines;
        _resolver = resolver;
    }

    /// <summary>Errors and warnings about <paramref name="config"/>, read from <paramref name="conf"/>.</summary>
    public static IReadOnlyList<ConfigDiagnostic> Validate(CorosyncConfig config, ParsedConf conf, IAddressResolver resolver)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(conf);
        ArgumentNullException.ThrowIfNull(resolver);
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var key in conf.Keys)
            lines[key.Path] = key.Line;
        var validator = new CorosyncConfigValidator(conf.File, lines, resolver);
        validator.CheckLogging(config.Logging);
        validator.CheckLegacy(config);
        validator.CheckUnknown(conf);
        validator.CheckTotem(config);
        validator.CheckTimers(config.Timers);
        validator.CheckNodes(config);
        validator.CheckQuorum(config);
        return validator._diagnostics;
    }

    private int Line(string path) => _lines.TryGetValue(path, out var line) ? line : 0;

    private void Error(string message, string? path = null) =>
        _diagnostics.Add(ConfigDiagnostic.ConfigError(_file, path is null ? 0 : Line(path), message));

    private void Warn(string message, string? path = null) =>
        _diagnostics.Add(ConfigDiagnostic.Warning(_file, path is null ? 0 : Line(path), message));

    private string At(string path) => Line(path) is > 0 and var line ? $"{_file}:{line}" : _file;

    private void CheckLogging(LoggingConfig logging)
    {
        // corosync's logsys rejects these before anything else, without a line, exit status 7.
        string[] priorities = ["alert", "crit", "debug", "emerg", "err", "error", "info", "notice", "warning"];
        string[] facilities = ["daemon", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7"];
        var blocks = new[] { ("logging.", logging.Values) }
            .Concat(logging.Subsystems.Select(s => ($"logging.logger_subsys.{s.Subsys}.", s.Values)));
        foreach (var (prefix, values) in blocks)
        {
            foreach (var key in new[] { "to_stderr", "to_logfile", "to_syslog", "fileline", "function_name", "blackbox" })
            {
                if (values.Str(key) is { } v && v is not ("yes" or "no" or "on" or "off"))
                    LoggingError($"parse error in config: unknown value for {key}.", prefix + key);
            }
            if (values.Str("timestamp") is { } ts && ts is not ("on" or "off" or "hires"))
                LoggingError("parse error in config: unknown value for timestamp.", prefix + "timestamp");
            if (values.Str("debug") is { } debug && debug is not ("on" or "off" or "trace"))
                LoggingError("parse error in config: unknown value for debug.", prefix + "debug");
            if (values.Str("logfile_priority") is { } lp && !priorities.Contains(lp))
                LoggingError("parse error in config: unknown logfile priority specified.", prefix + "logfile_priority");
            if (values.Str("syslog_priority") is { } sp && !priorities.Contains(sp))
                LoggingError("parse error in config: unknown syslog priority specified.", prefix + "syslog_priority");
            if (values.Str("syslog_facility") is { } sf && !facilities.Contains(sf))
                LoggingError("parse error in config: unknown syslog facility specified.", prefix + "syslog_facility");
            if (values.Str("logfile") is { } file && !file.StartsWith('/'))
                Warn($"logfile '{file}' is a relative path: it is opened in the daemon's working directory, not under HA_ROOT", prefix + "logfile");
        }
        if (logging.ToLogfile && logging.LogFile is null)
            Warn("to_logfile is set but there is no logfile: nothing is logged to a file", "logging.to_logfile");
    }

    private void LoggingError(string message, string path) =>
        _diagnostics.Add(ConfigDiagnostic.LoggingError(_file, Line(path), message));

    private void CheckLegacy(CorosyncConfig config)
    {
        var totem = config.Totem;
        if (config.Other.Str("compatibility") is { } compatibility)
            Warn($"compatibility: {compatibility} is a corosync 1.x setting and has no effect", "compatibility");
        if (totem.SecAuth is { } secauth)
        {
            if (!secauth)
                Warn("secauth is a corosync 2.x setting: 'secauth: off' is the default (no crypto) and can be removed", "totem.secauth");
            else if (totem.Values.Contains("crypto_cipher") || totem.Values.Contains("crypto_hash"))
                Warn("secauth is a corosync 2.x setting and is overridden here by crypto_cipher/crypto_hash", "totem.secauth");
            else
                Warn("secauth is a corosync 2.x setting: 'secauth: on' is read as crypto_cipher: aes256 and crypto_hash: sha256 (needs the authkey on every node)", "totem.secauth");
        }
        if (totem.Values.Contains("threads"))
            Warn("threads is a corosync 2.x setting and has no effect", "totem.threads");
        if (totem.Values.Str("rrp_mode") is { } rrp)
        {
            Warn(totem.Values.Contains("link_mode")
                ? "rrp_mode is a corosync 2.x setting and is overridden here by link_mode"
                : $"rrp_mode is a corosync 2.x setting: 'rrp_mode: {rrp}' is read as link_mode: {totem.LinkMode}", "totem.rrp_mode");
        }
        if (totem.Values.Contains("nodeid"))
            Warn("totem.nodeid is deprecated and ignored: set nodeid in the nodelist", "totem.nodeid");

        foreach (var link in config.Interfaces)
        {
            var prefix = string.Create(CultureInfo.InvariantCulture, $"totem.interface.{link.LinkNumber}.");
            if (link.Values.Str("ringnumber") is { } ring)
            {
                Warn(link.Values.Contains("linknumber") || !byte.TryParse(ring, CultureInfo.InvariantCulture, out _)
                    ? "ringnumber is a corosync 2.x setting and is ignored"
                    : $"ringnumber is a corosync 2.x setting: 'ringnumber: {ring}' is read as linknumber: {link.LinkNumber}", prefix + "ringnumber");
            }
            if (config.Nodes.Count > 0 && link.BindNetAddr is not null)
            {
                Warn("interface section bindnetaddr is used together with nodelist. Nodelist one is going to be used.", prefix + "bindnetaddr");
                Warn("Please migrate config file to nodelist.", prefix + "bindnetaddr");
            }
            if (config.Transport != TransportKind.Udp)
            {
                // mcastport is not in this list: udpu and knet listen on it too.
                foreach (var key in new[] { "mcastaddr", "ttl" })
                {
                    if (link.Values.Contains(key))
                        Warn($"interface {key} only applies to the udp (multicast) transport and is ignored with {config.Transport.Name()}", prefix + key);
                }
            }
        }
        var member = config.Other.FirstOrDefault(kv => kv.Key.StartsWith("totem.interface.member.", StringComparison.Ordinal)).Key;
        if (member is not null)
        {
            Warn(config.Nodes.Count > 0
                ? "member section is used together with nodelist. Members ignored."
                : "member section is deprecated: list the nodes in a nodelist (members are not used)", member);
        }
        if (config.ImpliesLegacyUdp)
        {
            var path = config.Interfaces.First(i => i.McastAddr is not null).LinkNumber.ToString(CultureInfo.InvariantCulture);
            Warn("no transport and no nodelist, but an interface with mcastaddr: read as transport: udp (the corosync 2.x default; corosync 3.1 would pick knet and fail). Please migrate config file to nodelist.",
                $"totem.interface.{path}.mcastaddr");
        }

        var sections = config.Other.Select(kv => kv.Key.Split('.')[0]).Distinct(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            var first = config.Other.First(kv => kv.Key.StartsWith(section, StringComparison.Ordinal)).Key;
            switch (section)
            {
                case "aisexec":
                    Warn("aisexec section is a corosync 1.x setting and is ignored (corosync runs as root)", first);
                    break;
                case "service":
                    Warn(config.Other.Str("service.name") == "pacemaker"
                        ? "service { name: pacemaker } is a corosync 1.x/2.x setting and is ignored: Pacemaker is started by its own service"
                        : "service section is a corosync 1.x/2.x setting and is ignored", first);
                    break;
                case "amf":
                    Warn("amf section is a corosync 1.x setting and is ignored", first);
                    break;
                case "compatibility":
                    break;
                default:
                    if (!ConfKeys.Sections.Contains(section) && first.Contains('.', StringComparison.Ordinal))
                        Warn($"unknown section '{section}': stored, but not used", first);
                    else if (!ConfKeys.Sections.Contains(section))
                        Warn($"unknown top-level key '{section}': stored, but not used", first);
                    break;
            }
        }
    }

    /// <summary>Likely typos: keys corosync 3.1 does not read inside the sections it does read.</summary>
    private void CheckUnknown(ParsedConf conf)
    {
        string[] legacy = ["totem.secauth", "totem.threads", "totem.rrp_mode", "totem.interface.ringnumber"];
        string[] checkedSections = ["totem.", "nodelist.node.", "quorum.", "logging.", "system."];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var key in conf.Keys)
        {
            var generic = ConfKeys.Generic(key.Path);
            if (!checkedSections.Any(s => generic.StartsWith(s, StringComparison.Ordinal))
                || key.Path.StartsWith("totem.interface.member.", StringComparison.Ordinal)
                || ConfKeys.IsKnown(generic) || legacy.Contains(generic) || !seen.Add(generic))
                continue;
            _diagnostics.Add(ConfigDiagnostic.Warning(_file, key.Line, generic.StartsWith("totem.rrp_", StringComparison.Ordinal)
                ? $"{generic[6..]} is a corosync 2.x redundant ring setting and has no effect (links are managed by knet)"
                : $"unknown key '{generic}': stored, but not used"));
        }
    }

    private void CheckTotem(CorosyncConfig config)
    {
        var totem = config.Totem;
        if (totem.Version != TotemDefaults.Version)
            Error("parse error in config: This totem parser can only parse version 2 configurations.", "totem.version");
        if (totem.ExplicitTransport is { } transport && !TransportKinds.TryParse(transport, out _))
        {
            Error("Invalid transport type. Should be udpu, udp or knet", "totem.transport");
            return;
        }
        if (totem.CryptoCipher != "none" && totem.CryptoHash == "none")
            Error("crypto_cipher requires crypto_hash with value other than none", "totem.crypto_cipher");
        if (totem.CryptoEnabled && config.Transport != TransportKind.Knet)
            Warn($"crypto on the {config.Transport.Name()} transport: accepted (our transport encrypts it), but corosync 3.1 allows crypto only with knet, so nodes running it cannot join", totem.Values.Contains("crypto_cipher") ? "totem.crypto_cipher" : "totem.secauth");
        if (totem.Values.Str("link_mode") is { } mode && mode is not ("active" or "passive" or "rr"))
            Error($"parse error in config: The Knet link mode \"{mode}\" specified is invalid.  It must be active, passive or rr.", "totem.link_mode");
        foreach (var link in config.Interfaces)
        {
            if (link.Values.Str("knet_transport") is { } kt && kt is not ("udp" or "sctp"))
                Error("Unrecognised knet_transport. expected 'udp' or 'sctp'", $"totem.interface.{link.LinkNumber}.knet_transport");
            if (link.LinkNumber > 7)
                Error(string.Create(CultureInfo.InvariantCulture, $"parse error in config: linknumber {link.LinkNumber} is out of range (0..7)"));
            // Every transport binds this port (udp also port - 1); corosync 3.1.7 -t accepts 0,
            // but a node listening on a random port can never be reached, so the daemon refuses it.
            var minPort = config.Transport == TransportKind.Udp ? 2u : 1u;
            if (link.Values.U32("mcastport") is { } port && port < minPort)
                Error(string.Create(CultureInfo.InvariantCulture, $"parse error in config: mcastport {port} is out of range ({minPort}..65535)"),
                    $"totem.interface.{link.LinkNumber}.mcastport");
        }
        var links = config.Links;
        if (links.Count > 1 && config.Nodes.Any(n => n.Name is null))
            Error("parse error in config: for a multi-link configuration, all nodes must have a 'name' attribute");
        if (config.Transport != TransportKind.Knet && links.Count > 1)
            Error(string.Create(CultureInfo.InvariantCulture, $"parse error in config: {links.Count} is too many configured interfaces for non-Knet transport."));
        if (config.Nodes.Count == 0 && !(config.Transport == TransportKind.Udp && config.Interfaces.Any(i => i.BindNetAddr is not null)))
            Error("parse error in config: No interfaces defined");
        if (config.Nodes.Count == 0)
        {
            foreach (var link in config.Interfaces)
            {
                if (link.BindNetAddr is { } bind && !IPAddress.TryParse(bind, out _) && _resolver.Resolve(bind).Count == 0)
                    Error($"failed to parse bindnet address '{bind}' ({At($"totem.interface.{link.LinkNumber}.bindnetaddr")}: not an address and the name does not resolve)");
            }
        }
    }

    private void CheckTimers(EffectiveTimers timers)
    {
        const uint min = TotemDefaults.MinimumTimeout;
        void Minimum(string name, uint value, uint minimum)
        {
            if (value < minimum)
                Error(string.Create(CultureInfo.InvariantCulture, $"parse error in config: The {name} parameter ({value} ms) may not be less than ({minimum} ms)."));
        }
        Minimum("token timeout", timers.Token, min);
        Minimum("token retransmit timeout", timers.TokenRetransmit, min);
        Minimum("token hold timeout", timers.Hold, TotemDefaults.MinimumHold);
        Minimum("join timeout", timers.Join, min);
        Minimum("consensus timeout", timers.Consensus, min);
        Minimum("merge timeout", timers.Merge, min);
        Minimum("downcheck timeout", timers.Downcheck, min);
        Minimum("max_network_delay", timers.MaxNetworkDelay, min);
        if (timers.Consensus < timers.Join)
            Error(string.Create(CultureInfo.InvariantCulture, $"parse error in config: The consensus timeout parameter ({timers.Consensus} ms) may not be less than join timeout ({timers.Join} ms)."));
        if (timers.TokenWarning > 100)
            Error(string.Create(CultureInfo.InvariantCulture, $"parse error in config: The token warning parameter ({timers.TokenWarning}%) must be between 0 (disabled) and 100."));
        if (timers.WindowSize == 0 || timers.MaxMessages == 0)
            Error("parse error in config: window_size and max_messages must be at least 1.");
    }

    private void CheckNodes(CorosyncConfig config)
    {
        // Our extension (the daemon picks the local node by it): checked here as the daemon does.
        var pos = config.Other.Str("nodelist.local_node_pos") ?? config.Other.U32("nodelist.local_node_pos")?.ToString(CultureInfo.InvariantCulture);
        if (pos is not null && (!int.TryParse(pos, NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index >= config.Nodes.Count))
            Error($"nodelist.local_node_pos \"{pos}\" is not the position of a node in the nodelist", "nodelist.local_node_pos");
        var byId = new Dictionary<uint, int>();
        var families = new Dictionary<int, (AddressFamily Family, string Text)>();
        for (var i = 0; i < config.Nodes.Count; i++)
        {
            var node = config.Nodes[i];
            var prefix = string.Create(CultureInfo.InvariantCulture, $"nodelist.node.{i}.");
            if (node.NodeId is { } id)
            {
                if (byId.TryGetValue(id, out var other))
                    Error(string.Create(CultureInfo.InvariantCulture,
                        $"Nodeid {id} appears twice in corosync.conf ({At($"nodelist.node.{other}.nodeid")} and {At(prefix + "nodeid")})"));
                else
                    byId[id] = i;
            }
            else if (config.Transport == TransportKind.Knet)
            {
                Error($"Knet requires an explicit nodeid for every node: nodelist.node.{i.ToString(CultureInfo.InvariantCulture)} ({At(prefix + "ring0_addr")}) has none");
            }

            if (!node.Links.Any())
                Error($"parse error in config: nodelist.node.{i.ToString(CultureInfo.InvariantCulture)} has no ring0_addr");
            foreach (var link in node.Links)
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"ring{link}_addr");
                var text = node.RingAddress(link)!;
                if (string.IsNullOrWhiteSpace(text))
                {
                    // The resolver would read "" as this host; corosync refuses it with this line.
                    Error($"failed to parse bindnet address '{text}'", prefix + key);
                    continue;
                }
                var address = ResolveRingAddress(text, config.IpVersion);
                if (address is null)
                {
                    Error($"failed to parse bindnet address '{text}' ({prefix}{key} at {At(prefix + key)}: not an address and the name does not resolve)");
                    continue;
                }
                if (address.AddressFamily == AddressFamily.InterNetworkV6 && node.NodeId is null && config.Transport != TransportKind.Knet)
                    Error($"An IPv6 network requires that a node ID be specified: nodelist.node.{i.ToString(CultureInfo.InvariantCulture)} ({At(prefix + key)}) has none");
                else if (link == 0 && node.NodeId is null && config.Transport != TransportKind.Knet)
                    Warn(string.Create(CultureInfo.InvariantCulture,
                        $"nodelist.node.{i} has no nodeid: it is derived from {address} as {NodeConfig.DeriveNodeId(address, config.Totem.ClearNodeHighBit)}; set nodeid to keep it stable"), prefix + key);
                if (families.TryGetValue(link, out var first))
                {
                    if (first.Family != address.AddressFamily)
                        Error(string.Create(CultureInfo.InvariantCulture,
                            $"parse error in config: Nodes for link {link} have different IP families (compared {address} with {first.Text})"));
                }
                else
                {
                    families[link] = (address.AddressFamily, address.ToString());
                }
            }
        }
    }

    /// <summary>An address literal, else the name's first address in ip_version's preference order.</summary>
    private IPAddress? ResolveRingAddress(string text, string ipVersion)
    {
        if (IPAddress.TryParse(text, out var literal))
            return literal;
        var candidates = _resolver.Resolve(text);
        AddressFamily[] order = ipVersion switch
        {
            "ipv4" => [AddressFamily.InterNetwork],
            "ipv6" => [AddressFamily.InterNetworkV6],
            "ipv4-6" => [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6],
            _ => [AddressFamily.InterNetworkV6, AddressFamily.InterNetwork],
        };
        foreach (var family in order)
        {
            var match = candidates.FirstOrDefault(a => a.AddressFamily == family);
            if (match is not null)
                return match;
        }
        return null;
    }

    private void CheckQuorum(CorosyncConfig config)
    {
        var quorum = config.Quorum;
        if (quorum.Provider is { } provider && provider != "corosync_votequorum")
            Error($"parse error in config: quorum provider '{provider}' is not supported (only corosync_votequorum)", "quorum.provider");
        if (quorum.Provider is null && quorum.Values.Count == 0 && config.Nodes.Count > 0)
            Warn("no quorum provider: the cluster runs without quorum (add 'provider: corosync_votequorum' to the quorum section)");
        if (quorum.TwoNode && config.Nodes.Count > 2)
            Error(string.Create(CultureInfo.InvariantCulture,
                $"parse error in config: two_node is set but the nodelist has {config.Nodes.Count} nodes: two_node only applies to exactly 2 nodes"), "quorum.two_node");
        if (quorum.Provider is null && quorum.Values.Count > 0)
            Warn("quorum options without 'provider: corosync_votequorum' have no effect", quorum.Values.First().Key is var k ? "quorum." + k : null);
    }
}
