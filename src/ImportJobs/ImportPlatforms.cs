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

    public static IReadOnlyList<string> All { get; } = [Grain, Gong, Dialpad, Fireflies, RingCentral, HubSpot, Fathom, Zoom, Manual];

    public static bool IsKnown(string platform) => RequiredKeys.ContainsKey(platform);

    /// <summary>The keys a platform's credentials Secret must have; empty for an unknown platform.</summary>
    public static IReadOnlyList<string> RequiredSecretKeys(string platform) =>
        RequiredKeys.TryGetValue(platform, out var keys) ? keys : [];
}
