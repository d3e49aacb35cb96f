using System.Globalization;

namespace Cluster.Crm.Digests;

/// <summary>
/// Operation digests exactly as Pacemaker 2.1.5 computes them (see shared/docs/op-digest.md):
/// <see cref="ComputeAll"/> for the scheduler's side (op-digest, op-restart-digest,
/// op-secure-digest), <see cref="Compare"/> for its decision about a history entry, and
/// <see cref="ComputeRecorded"/> for the value a controller or crm_simulate writes into history.
/// </summary>
public static class OpDigest
{
    /// <summary>Private parameter names assumed when an entry lists none.</summary>
    public const string DefaultSecureParams = " passwd password user ";

    private static readonly Version SecureSwitch = new(3, 16, 0);

    private static readonly HashSet<string> FilteredNames = new(StringComparer.Ordinal)
    {
        "id", "crm_feature_set", "op-digest", "on_node", "on_node_uuid", "pcmk_external_ip",
    };

    private static readonly HashSet<string> StonithNames = new(StringComparer.Ordinal)
    {
        "provides", "stonith-timeout", "pcmk_action_limit", "pcmk_delay_base", "pcmk_delay_max",
        "pcmk_host_argument", "pcmk_host_check", "pcmk_host_list", "pcmk_host_map",
    };

    /// <summary>
    /// The scheduler's digests for a history entry. The restart digest is computed only when
    /// <paramref name="recorded"/> has one; <paramref name="cibFeatureSet"/> is the fallback for
    /// the secure digest's feature-set switch when the entry has none.
    /// </summary>
    public static OpDigests ComputeAll(OpDigestInput input, RecordedDigests? recorded = null, string? cibFeatureSet = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Scheduler order: resource parameters first, then the op's own (first writer wins).
        var all = Filtered(input, input.ResourceParameters, input.OpParameters);
        var allText = DigestText.ToText(all);

        string? restart = null;
        if (recorded?.RestartDigest is not null)
        {
            var force = recorded.ForceRestart;
            restart = DigestText.Digest(force is null ? all : all.Where(kv => ListContains(force, kv.Key)));
        }

        var secureList = recorded?.SecureParams ?? DefaultSecureParams;
        string secure;
        if (FeatureSetAtLeast(recorded?.FeatureSet ?? cibFeatureSet, SecureSwitch))
        {
            // The second filter pass drops CRM_meta_timeout too (CRM_meta_interval is gone).
            secure = DigestText.Digest(all.Where(kv => !ListContains(secureList, kv.Key) && !IsFilteredName(kv.Key)));
        }
        else
        {
            secure = DigestText.Digest(
                Dedup(input.ResourceParameters)
                    .Where(kv => !ListContains(secureList, kv.Key) && !IsFilteredName(kv.Key)
                                 && !(input.IsStonith && IsStonithName(kv.Key))));
        }
        return new OpDigests(DigestText.Digest(all), restart, secure, allText);
    }

    /// <summary>
    /// The <c>op-digest</c> a controller (or crm_simulate) records for an executed action: the
    /// same filter, but the op's own instance attributes are added before the resource's.
    /// </summary>
    public static string ComputeRecorded(OpDigestInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return DigestText.Digest(Filtered(input, input.OpParameters, input.ResourceParameters));
    }

    /// <summary>
    /// Pacemaker's decision for one history entry: restart digest first, then missing
    /// op-digest, then op-digest (a non-recurring op with its own parameters means restart).
    /// In <paramref name="sanitized"/> mode (crm_simulate's default) a matching secure digest
    /// vetoes any change.
    /// </summary>
    public static DigestComparison Compare(OpDigestInput input, RecordedDigests recorded, bool sanitized, string? cibFeatureSet = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(recorded);
        var digests = ComputeAll(input, recorded, cibFeatureSet);
        DigestVerdict verdict;
        if (recorded.RestartDigest is not null && !string.Equals(recorded.RestartDigest, digests.Restart, StringComparison.Ordinal))
            verdict = DigestVerdict.Restart;
        else if (recorded.OpDigest is null)
            verdict = DigestVerdict.Unknown;
        else if (!string.Equals(recorded.OpDigest, digests.All, StringComparison.Ordinal))
            verdict = !input.IsRecurring && input.OpParameters.Count > 0 ? DigestVerdict.Restart : DigestVerdict.All;
        else
            verdict = DigestVerdict.Match;

        var onlyPrivate = false;
        if (verdict != DigestVerdict.Match && sanitized && recorded.SecureDigest is not null
            && string.Equals(recorded.SecureDigest, digests.Secure, StringComparison.Ordinal))
        {
            verdict = DigestVerdict.Match;
            onlyPrivate = true;
        }
        return new DigestComparison(verdict, digests, onlyPrivate);
    }

    /// <summary>True when <paramref name="name"/> occurs space-delimited in a list like <c>" a b "</c>.</summary>
    public static bool ListContains(string list, string name)
    {
        ArgumentNullException.ThrowIfNull(list);
        ArgumentNullException.ThrowIfNull(name);
        return list.Contains(" " + name + " ", StringComparison.Ordinal);
    }

    private static List<KeyValuePair<string, string>> Filtered(
        OpDigestInput input,
        IReadOnlyList<KeyValuePair<string, string>> first,
        IReadOnlyList<KeyValuePair<string, string>> second)
    {
        var set = new ParameterSet();
        set.AddAllIfAbsent(first);
        set.AddAllIfAbsent(second);
        var kept = set.Items.Where(kv => !IsFilteredName(kv.Key)).ToList();
        // Recurring ops keep their timeout (the only CRM_meta_* name that survives the filter).
        if (input.IsRecurring)
            kept.Add(new("CRM_meta_timeout", input.TimeoutMs.ToString(CultureInfo.InvariantCulture)));
        return kept;
    }

    private static IEnumerable<KeyValuePair<string, string>> Dedup(IReadOnlyList<KeyValuePair<string, string>> pairs)
    {
        var set = new ParameterSet();
        set.AddAllIfAbsent(pairs);
        return set.Items;
    }

    private static bool IsFilteredName(string name) =>
        name.StartsWith("CRM_meta_", StringComparison.Ordinal) || FilteredNames.Contains(name);

    private static bool IsStonithName(string name) =>
        StonithNames.Contains(name)
        || (name.StartsWith("pcmk_", StringComparison.Ordinal)
            && (name.EndsWith("_action", StringComparison.Ordinal)
                || name.EndsWith("_timeout", StringComparison.Ordinal)
                || name.EndsWith("_retries", StringComparison.Ordinal)));

    private static bool FeatureSetAtLeast(string? featureSet, Version min)
    {
        if (featureSet is null) return true; // default 3.16.1
        var parts = featureSet.Split('.');
        var numbers = new int[3];
        for (var i = 0; i < 3; i++)
        {
            if (i < parts.Length && int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                numbers[i] = n;
        }
        return new Version(numbers[0], numbers[1], numbers[2]) >= min;
    }
}
