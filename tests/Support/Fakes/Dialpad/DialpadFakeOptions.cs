namespace CallImport.Testing.Fakes.Dialpad;

public sealed record DialpadFakeOptions
{
    public int Port { get; init; }
    public int Calls { get; init; } = 25;
    public DateTimeOffset From { get; init; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    public DateTimeOffset To { get; init; } = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    public bool CallsAtBounds { get; init; }
    /// <summary>Dialpad's page (a forum user saw 25; the call list declares no limit parameter).</summary>
    public int PageSize { get; init; } = 25;
    public string ApiKey { get; init; } = "dialpad-fake-key-" + Guid.NewGuid().ToString("N")[..12];
    public double WithMediaFraction { get; init; } = 1;
    public double WithTranscriptFraction { get; init; } = 1;
    /// <summary>Share of recorded calls whose listed record lacks <c>recording_details</c> (only get-call has it).</summary>
    public double RecordingOnlyInDetailFraction { get; init; }
    /// <summary>Dialpad's documented 20 requests/s per company and get-call's 10 per minute, answered with 429.</summary>
    public bool EnforceLimits { get; init; }
    public double ServerErrorFraction { get; init; }
    public double StallFraction { get; init; }
    public TimeSpan StallFor { get; init; } = TimeSpan.FromSeconds(30);
    public int MalformedCalls { get; init; }
    /// <summary>Recordings streamed chunked, with no Content-Length (as a server streaming a file it has not sized may).</summary>
    public bool RecordingsWithoutLength { get; init; }
    public int Seed { get; init; } = 1;
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
