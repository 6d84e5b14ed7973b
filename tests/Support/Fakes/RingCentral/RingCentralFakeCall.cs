using System.Security.Cryptography;

namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>
/// One telephony session: what a person calls "a call". It has one call-log record, or two for an internal
/// call (the caller's Outbound record and the callee's Inbound one, sharing the telephonySessionId).
/// </summary>
public sealed record RingCentralFakeCall(
    string TelephonySessionId,
    string SessionId,
    DateTimeOffset Start,
    int DurationSeconds,
    IReadOnlyList<RingCentralFakeRecord> Records,
    RingCentralFakeRecording? Recording)
{
    public bool IsInternal => Records.Count > 1;
}

/// <summary>One call-log record as RingCentral lists it.</summary>
public sealed record RingCentralFakeRecord(
    string Id,
    string SessionId,
    string TelephonySessionId,
    DateTimeOffset Start,
    int DurationSeconds,
    string Direction,
    string Result,
    RingCentralFakeParty From,
    RingCentralFakeParty To,
    string ExtensionId,
    RingCentralFakeRecording? Recording);

/// <summary>A phone endpoint; one of the account's own has an extension.</summary>
public sealed record RingCentralFakeParty(string? PhoneNumber, string? Name, string? ExtensionId = null, string? ExtensionNumber = null, string? Location = null);

/// <summary>A call recording: its id and the bytes the media host serves.</summary>
public sealed record RingCentralFakeRecording(string Id, string ContentType, byte[] Content)
{
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Content));
}
