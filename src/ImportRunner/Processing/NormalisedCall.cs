using System.Text.Json.Serialization;
using CallImport.ImportRunner.Platforms;

namespace CallImport.ImportRunner.Processing;

/// <summary>A call's metadata in the engagement store's terms, whatever platform it came from.</summary>
public sealed record NormalisedCall(
    string SourceCallId,
    string? Title,
    DateTimeOffset? StartedAt,
    int? DurationSeconds,
    IReadOnlyList<NormalisedParticipant> Participants,
    string Quality);

public sealed record NormalisedParticipant(
    [property: JsonPropertyName("name")] string? Name,
    [property: JsonPropertyName("email")] string? Email,
    [property: JsonPropertyName("phone")] string? Phone,
    [property: JsonPropertyName("affiliation")] string Affiliation);
