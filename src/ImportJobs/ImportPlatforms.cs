namespace CallImport.ImportJobs;

/// <summary>
/// The platforms an ImportJob may name, and the Secret keys each needs: a contract between the CRD, the
/// samples, the operator (which checks the Secret before starting a run) and the runner's contexts.
/// </summary>
public static class ImportPlatforms
{
    public const string Grain = "grain";
    public const string Gong = "gong";
    public const string Dialpad = "dialpad";
    public const string Fireflies = "fireflies";
    public const string RingCentral = "ringcentral";
    public const string HubSpot = "hubspot";
    public const string Fathom = "fathom";
    public const string Zoom = "zoom";
    public const string Manual = "manual";

    private static readonly Dictionary<string, string[]> RequiredKeys = new(StringComparer.Ordinal)
    {
        [Grain] = ["apiKey"],
        [Gong] = ["accessKey", "accessKeySecret"],
        [Dialpad] = ["apiKey"],
        [Fireflies] = ["apiKey"],
        [RingCentral] = ["clientId", "clientSecret", "jwt"],
        [HubSpot] = ["accessToken"],
        [Fathom] = ["apiKey"],
        [Zoom] = ["accountId", "clientId", "clientSecret"],
        [Manual] = ["location"],
    };

    /// <summary>
    /// Keys that stand in for all of a platform's required keys when every one of a set is present: Gong's OAuth
    /// access token replaces the key pair (the context then sends it as a bearer token); HubSpot's OAuth refresh keys
    /// replace the access token (every token then comes from the refresh grant, so a token in the Secret is unused).
    /// </summary>
    private static readonly Dictionary<string, string[][]> AlternativeKeys = new(StringComparer.Ordinal)
    {
        [Gong] = [["accessToken"]],
        [HubSpot] = [["refreshToken", "clientId", "clientSecret"]],
    };

    public static IReadOnlyList<string> All { get; } = [Grain, Gong, Dialpad, Fireflies, RingCentral, HubSpot, Fathom, Zoom, Manual];

    public static bool IsKnown(string platform) => RequiredKeys.ContainsKey(platform);

    /// <summary>The keys a platform's credentials Secret must have; empty for an unknown platform.</summary>
    public static IReadOnlyList<string> RequiredSecretKeys(string platform) =>
        RequiredKeys.TryGetValue(platform, out var keys) ? keys : [];

    /// <summary>Sets of keys any one of which, complete, replaces <see cref="RequiredSecretKeys"/> (none for most platforms).</summary>
    public static IReadOnlyList<IReadOnlyList<string>> AlternativeSecretKeys(string platform) =>
        AlternativeKeys.TryGetValue(platform, out var sets) ? sets : [];

    /// <summary>The required keys a Secret holding <paramref name="present"/> lacks; none when it has them all or a complete alternative set.</summary>
    public static IReadOnlyList<string> MissingSecretKeys(string platform, IEnumerable<string> present) =>
        MissingKeys(RequiredSecretKeys(platform), AlternativeSecretKeys(platform), present);

    /// <summary><see cref="MissingSecretKeys"/> for any list of required keys and alternatives.</summary>
    public static IReadOnlyList<string> MissingKeys(IReadOnlyList<string> required, IReadOnlyList<IReadOnlyList<string>> alternatives, IEnumerable<string> present)
    {
        var keys = present.ToHashSet(StringComparer.Ordinal);
        var missing = required.Where(k => !keys.Contains(k)).ToList();
        return missing.Count == 0 || alternatives.Any(set => set.All(keys.Contains)) ? [] : missing;
    }

    /// <summary>
    /// How the alternatives read in a message: <c>'accessToken'</c>, or <c>'a' + 'b'</c> for a set; empty when none.
    /// Given the keys <paramref name="present"/>, a set begun but not complete also says which of its keys are missing,
    /// so a person who chose that way learns what to add (key names only, never values).
    /// </summary>
    public static string DescribeAlternatives(IReadOnlyList<IReadOnlyList<string>> alternatives, IEnumerable<string>? present = null)
    {
        var keys = present?.ToHashSet(StringComparer.Ordinal) ?? [];
        return string.Join(" or ", alternatives.Select(set =>
        {
            var described = string.Join(" + ", set.Select(k => $"'{k}'"));
            var lacking = set.Where(k => !keys.Contains(k)).ToList();
            return lacking.Count > 0 && lacking.Count < set.Count
                ? $"{described}, of which {string.Join(", ", lacking.Select(k => $"'{k}'"))} {(lacking.Count == 1 ? "is" : "are")} missing"
                : described;
        }));
    }
}
