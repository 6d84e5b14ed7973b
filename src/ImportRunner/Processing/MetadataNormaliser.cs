using CallImport.ImportRunner.Platforms;

namespace CallImport.ImportRunner.Processing;

/// <summary>
/// Turns a platform's call into the store's shape: trims text, settles each participant's affiliation
/// (the platform's word first, else the customer's email domains) and grades the metadata's completeness.
/// </summary>
public sealed class MetadataNormaliser(IReadOnlyCollection<string> internalDomains)
{
    private readonly string[] _domains = internalDomains.Select(d => d.Trim().TrimStart('@').ToLowerInvariant()).Where(d => d.Length > 0).ToArray();

    public NormalisedCall Normalise(SourceCall call)
    {
        var participants = call.Participants
            .Where(p => !string.IsNullOrWhiteSpace(p.Name) || !string.IsNullOrWhiteSpace(p.Email) || !string.IsNullOrWhiteSpace(p.Phone))
            .Select(p => new NormalisedParticipant(Clean(p.Name), Clean(p.Email)?.ToLowerInvariant(), Clean(p.Phone), AffiliationOf(p)))
            .DistinctBy(p => p.Email ?? p.Phone ?? p.Name)
            .ToList();
        var title = Clean(call.Title);
        var duration = call.Duration is { } d && d >= TimeSpan.Zero ? (int?)Math.Round(d.TotalSeconds) : null;
        // A context that filled gaps itself (a file's name as title) knows better what the source really said.
        var quality = call.ContextData.TryGetValue(SourceCall.MetadataQualityKey, out var graded) ? graded
            : Grade(title, call.StartedAt, duration, participants);
        return new NormalisedCall(call.SourceCallId, title, call.StartedAt?.ToUniversalTime(), duration, participants, quality);
    }

    private string AffiliationOf(SourceParticipant participant)
    {
        if (participant.Affiliation != Affiliation.Unknown) return participant.Affiliation.ToString().ToLowerInvariant();
        var email = Clean(participant.Email);
        if (email is null || !email.Contains('@', StringComparison.Ordinal)) return "unknown";
        var domain = email[(email.LastIndexOf('@') + 1)..].ToLowerInvariant();
        return _domains.Any(d => domain == d || domain.EndsWith("." + d, StringComparison.Ordinal)) ? "internal" : "external";
    }

    /// <summary>full: title, start, duration and participants whose side is known; minimal: no start, or nothing but a file; partial: between.</summary>
    private static string Grade(string? title, DateTimeOffset? startedAt, int? duration, List<NormalisedParticipant> participants)
    {
        if (title is not null && startedAt is not null && duration is not null && participants.Count > 0 && participants.All(p => p.Affiliation != "unknown"))
            return MetadataQuality.Full;
        if (startedAt is null || (participants.Count == 0 && duration is null))
            return MetadataQuality.Minimal;
        return MetadataQuality.Partial;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
