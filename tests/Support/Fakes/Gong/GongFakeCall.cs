namespace CallImport.Testing.Fakes.Gong;

/// <summary>
/// A call the fake serves, with what Gong would return for it. <see cref="Id"/> is Gong's numeric id as a
/// string: 19 or 20 digits, most beyond what a 64-bit integer holds.
/// </summary>
public sealed record GongFakeCall(
    string Id,
    string Title,
    DateTimeOffset? Scheduled,
    DateTimeOffset Started,
    int DurationSeconds,
    string Direction,
    string Scope,
    string System,
    string WorkspaceId,
    string PrimaryUserId,
    bool IsPrivate,
    IReadOnlyList<GongFakeParty> Parties,
    IReadOnlyList<GongFakeMonologue> Transcript,
    byte[]? Audio,
    byte[]? Video)
{
    public string Url => $"https://app.gong.io/call?id={Id}";

    /// <summary>
    /// What Gong's date filters compare: web conferences (those with a scheduled time) by their scheduled
    /// time, other calls by their actual start.
    /// </summary>
    public DateTimeOffset MatchedAt => Scheduled ?? Started;

    /// <summary>The bytes the importer should store: audio when there is any, else video.</summary>
    public byte[]? ImportedMedia => Audio ?? Video;

    public bool HasTranscript => Transcript.Count > 0;
}

/// <summary><paramref name="Affiliation"/> is Gong's own: Internal, External or Unknown.</summary>
public sealed record GongFakeParty(
    string Id,
    string? Name,
    string? EmailAddress,
    string? PhoneNumber,
    string? Title,
    string? UserId,
    string SpeakerId,
    string Affiliation);

/// <summary>One speaker's turn; sentence times in milliseconds from the start of the call.</summary>
public sealed record GongFakeMonologue(string SpeakerId, string? Topic, IReadOnlyList<GongFakeSentence> Sentences);

public sealed record GongFakeSentence(long Start, long End, string Text);
