using System.Security.Cryptography;

namespace CallImport.Testing.Fakes.Zoom;

/// <summary>A cloud recording (one meeting instance) the fake serves.</summary>
public sealed record ZoomFakeMeeting(
    string Uuid,
    long Id,
    string Topic,
    DateTimeOffset Start,
    int DurationMinutes,
    ZoomFakeUser Host,
    IReadOnlyList<ZoomFakeFile> Files,
    IReadOnlyList<ZoomFakeParticipant> Participants)
{
    /// <summary>Zoom wants these double-encoded in a path.</summary>
    public bool NeedsDoubleEncoding => Uuid.StartsWith('/') || Uuid.Contains("//", StringComparison.Ordinal);

    /// <summary>The file a client should store: the MP4, else the M4A; null when the meeting kept no media.</summary>
    public ZoomFakeFile? Media => Files.FirstOrDefault(f => f.FileType == "MP4") ?? Files.FirstOrDefault(f => f.FileType == "M4A");

    public ZoomFakeFile? Transcript => Files.FirstOrDefault(f => f.FileType == "TRANSCRIPT");
}

public sealed record ZoomFakeUser(string Id, string Email, string Name);

public sealed record ZoomFakeFile(string Id, string FileType, string FileExtension, string RecordingType, string ContentType, byte[] Content)
{
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Content));
}

/// <summary><paramref name="UserId"/> is empty for someone who joined without signing in to Zoom.</summary>
public sealed record ZoomFakeParticipant(string UserId, string Name, string? Email, TimeSpan JoinedAfter, TimeSpan Stayed);
