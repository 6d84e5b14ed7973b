namespace CallImport.Testing.Fakes.Gcs;

/// <summary>An injected corruption of the next upload, and whether the fake still checks the client's declared hash.</summary>
internal sealed record GcsCorruption(bool VerifyClientChecksum);
