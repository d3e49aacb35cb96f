using System.Globalization;
using System.Xml.Linq;
using Cluster.Crm.Cib;
using Cluster.Crm.CibClient;

namespace Cluster.Crm.CibManager;

/// <summary>One line for the log: Pacemaker's function name, level and text.</summary>
public sealed record CibStoreMessage(string Function, string Level, string Text);

/// <summary>
/// The CIB on disk as Pacemaker keeps it in var/lib/pacemaker/cib: cib.xml (configuration, no
/// status) with cib.xml.sig (its digest, <see cref="CibFileDigest"/>), the previous file kept as
/// cib-N.raw / cib-N.raw.sig with N in cib.last (0..99, wrapping). Writes are atomic. On load a
/// file that cannot be parsed or whose digest does not match is moved aside (cib.auto.*) and not
/// used; the newest backup that verifies is used instead, else an empty CIB with epoch 0, so that
/// any peer's copy wins at the sync.
/// </summary>
public sealed class CibStore
{
    public const int MaxBackups = 100;

    public CibStore(string directory) => Directory = directory;

    public string Directory { get; }

    public string CibFile => Path.Combine(Directory, "cib.xml");

    public string SigFile => CibFile + ".sig";

    private string LastFile => Path.Combine(Directory, "cib.last");

    /// <summary>Reads and verifies cib.xml (falling back to backups); messages say what was refused and why.</summary>
    public XElement Load(List<CibStoreMessage> log)
    {
        System.IO.Directory.CreateDirectory(Directory);
        log.Add(new("retrieveCib", "info", $"Reading cluster configuration file {CibFile} (digest: {SigFile})"));
        if (!File.Exists(CibFile))
        {
            log.Add(new("readCibXmlFile", "warning", "Primary configuration corrupt or unusable, trying backups in " + Directory));
            return LoadBackupOrEmpty(log);
        }
        switch (Verify(CibFile, SigFile, log, out var cib))
        {
            case Verdict.Ok:
                return cib!;
            case Verdict.Modified:
                log.Add(new("retrieveCib", "warning", $"Continuing but {CibFile} will NOT be used."));
                Archive(CibFile, log);
                Archive(SigFile, log);
                break;
            default:
                log.Add(new("retrieveCib", "warning", $"Continuing but {CibFile} will NOT be used."));
                break;
        }
        log.Add(new("readCibXmlFile", "warning", "Primary configuration corrupt or unusable, trying backups in " + Directory));
        return LoadBackupOrEmpty(log);
    }

    private XElement LoadBackupOrEmpty(List<CibStoreMessage> log)
    {
        var last = ReadLast();
        for (int i = 0; i < MaxBackups && last >= 0; i++)
        {
            var n = ((last - i) % MaxBackups + MaxBackups) % MaxBackups;
            var raw = Path.Combine(Directory, $"cib-{n}.raw");
            if (!File.Exists(raw)) continue;
            if (Verify(raw, raw + ".sig", log, out var cib) == Verdict.Ok)
            {
                log.Add(new("readCibXmlFile", "warning", $"Continuing with last valid configuration archive: {raw}"));
                return cib!;
            }
        }
        log.Add(new("readCibXmlFile", "warning", "Continuing with an empty configuration."));
        return CibOperations.Empty(epoch: 0);
    }

    private enum Verdict { Ok, Corrupt, Modified }

    private static Verdict Verify(string file, string sig, List<CibStoreMessage> log, out XElement? cib)
    {
        cib = null;
        XElement parsed;
        try
        {
            parsed = CibXmlText.Parse(File.ReadAllText(file));
        }
        catch (Exception e) when (e is CibParseException or IOException or UnauthorizedAccessException)
        {
            log.Add(new("cib_file_read_and_verify", "error", $"Configuration file {file} is corrupt (unparseable as XML): {e.Message}"));
            return Verdict.Corrupt;
        }
        if (parsed.Name.LocalName != "cib")
        {
            log.Add(new("cib_file_read_and_verify", "error", $"Configuration file {file} is corrupt (the document element is <{parsed.Name.LocalName}>, not <cib>)"));
            return Verdict.Corrupt;
        }
        var actual = CibFileDigest.Compute(parsed);
        string? expected = null;
        try
        {
            expected = File.Exists(sig) ? File.ReadAllText(sig).Trim() : null;
        }
        catch (IOException)
        {
        }
        if (expected is null)
        {
            log.Add(new("cib_file_verify_digest", "warning", $"No on-disk digest present at {sig}"));
        }
        else if (!string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
        {
            log.Add(new("cib_file_verify_digest", "error", $"Digest comparison failed: expected {expected}, calculated {actual}"));
            log.Add(new("cib_file_verify_digest", "error", $"{file} was manually modified while the cluster was not running"));
            return Verdict.Modified;
        }
        var errors = CibOperations.Validate(parsed);
        if (errors.Count > 0)
        {
            log.Add(new("readCibXmlFile", "error", $"CIB does not validate with {(string?)parsed.Attribute("validate-with") ?? "its schema"}: {errors[0]}"));
            return Verdict.Corrupt;
        }
        if (parsed.Element("status") is null) parsed.Add(new XElement("status"));
        cib = parsed;
        return Verdict.Ok;
    }

    private void Archive(string file, List<CibStoreMessage> log)
    {
        if (!File.Exists(file)) return;
        var target = Path.Combine(Directory, "cib.auto." + Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)[..6]);
        File.Move(file, target);
        log.Add(new("cib_rename", "error", $"Archiving unusable file {Path.GetFileName(file)} as {target}"));
    }

    /// <summary>Writes the configuration (status removed) durably, keeping the previous file as the next backup.</summary>
    public void Write(XElement cib)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var copy = new XElement(cib);
        copy.Element("status")?.Remove();
        if (File.Exists(CibFile))
        {
            var n = (ReadLast() + 1) % MaxBackups;
            var raw = Path.Combine(Directory, $"cib-{n}.raw");
            File.Copy(CibFile, raw, overwrite: true);
            if (File.Exists(SigFile)) File.Copy(SigFile, raw + ".sig", overwrite: true);
            else File.Delete(raw + ".sig");
            AtomicFile.Write(LastFile, n.ToString(CultureInfo.InvariantCulture));
        }
        // The digest first: a crash between the two renames leaves a new .sig with the old file,
        // which is refused at start and replaced from the cluster (never silently used).
        AtomicFile.Write(SigFile, CibFileDigest.Compute(copy));
        AtomicFile.Write(CibFile, CibXmlText.Format(copy));
    }

    private int ReadLast()
    {
        try
        {
            return File.Exists(LastFile) && int.TryParse(File.ReadAllText(LastFile).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
