namespace CallImport.Testing.Fakes.Grain;

/// <summary>A recording the fake serves, with what Grain would return for it.</summary>
public sealed record GrainFakeRecording(
    string Id,
    string Title,
    DateTimeOffset Start,
    DateTimeOffset End,
    string Url,
    string TeamId,
    string MeetingTypeId,
    IReadOnlyList<GrainFakeParticipant> Participants,
    IReadOnlyList<GrainFakeTranscriptSection> Transcript)
{
    public long DurationMs => (long)(End - Start).TotalMilliseconds;

    /// <summary>Grain's <c>participant_scope: external</c>: at least one external participant.</summary>
    public bool HasExternalParticipant => Participants.Any(p => p.Scope == "external");
}

/// <summary><paramref name="Scope"/> is <c>internal</c>, <c>external</c> or <c>unknown</c>, as Grain says.</summary>
public sealed record GrainFakeParticipant(string Id, string Name, string? Email, string Scope);

/// <summary>Times in milliseconds from the start of the recording.</summary>
public sealed record GrainFakeTranscriptSection(string? ParticipantId, string Speaker, long StartMs, long EndMs, string Text);
