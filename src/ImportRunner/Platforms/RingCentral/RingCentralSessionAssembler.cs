namespace CallImport.ImportRunner.Platforms.RingCentral;

/// <summary>
/// Turns the call log (newest first, page after page) into telephony sessions, one per call as a person
/// sees it: an internal call is two records (caller's Outbound, callee's Inbound) and a transferred call one
/// per leg, all sharing a telephonySessionId, and they may straddle a page boundary. A session is handed out
/// once the listing has moved <see cref="Horizon"/> past its newest record: by then none of its records can
/// follow. A record of a session already handed out (a session longer than the horizon) is dropped with a
/// warning instead of importing the call twice.
/// </summary>
internal sealed class RingCentralSessionAssembler
{
    /// <summary>All records of one telephony session start within this span (an assumption; see README).</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromHours(6);

    private readonly Dictionary<string, PendingSession> _pending = new(StringComparer.Ordinal);
    private readonly HashSet<string> _handedOut = new(StringComparer.Ordinal);
    private readonly HashSet<string> _recordIds = new(StringComparer.Ordinal);

    /// <summary>Records dropped because their session was already handed out.</summary>
    public int LateRecords { get; private set; }

    /// <summary>Adds a record; returns the sessions now complete.</summary>
    public IReadOnlyList<RingCentralSession> Add(RingCentralListedRecord record)
    {
        if (!_recordIds.Add(record.Id)) return []; // the same record on two pages
        if (_handedOut.Contains(record.SessionKey))
        {
            LateRecords++;
            return [];
        }
        if (!_pending.TryGetValue(record.SessionKey, out var session))
            _pending[record.SessionKey] = session = new PendingSession(record.SessionKey);
        session.Records.Add(record);
        if (record.Start is { } start && (session.Newest is null || start > session.Newest)) session.Newest = start;
        return record.Start is { } now ? HandOut(s => s.Newest is { } newest && newest - now > Horizon) : [];
    }

    /// <summary>Every session still held, at the end of the listing.</summary>
    public IReadOnlyList<RingCentralSession> Flush() => HandOut(_ => true);

    private List<RingCentralSession> HandOut(Func<PendingSession, bool> complete)
    {
        var done = _pending.Values.Where(complete).ToList();
        foreach (var session in done)
        {
            _pending.Remove(session.Key);
            _handedOut.Add(session.Key);
        }
        return [.. done.OrderByDescending(s => s.Newest).Select(s => s.ToSession())];
    }

    private sealed class PendingSession(string key)
    {
        public string Key { get; } = key;
        public List<RingCentralListedRecord> Records { get; } = [];
        public DateTimeOffset? Newest { get; set; }

        public RingCentralSession ToSession() => new(Key, Records);
    }
}

/// <summary>One telephony session: the engagement's id and its call-log records (raw JSON).</summary>
internal sealed record RingCentralSession(string Key, IReadOnlyList<RingCentralListedRecord> Records)
{
    /// <summary>When the call began: its earliest record.</summary>
    public DateTimeOffset? Start => Records.Select(r => r.Start).Where(s => s is not null).Min();

    /// <summary>The records as one JSON array: the listing payload the call is fetched from, with no request.</summary>
    public string Payload => "[" + string.Join(',', Records.Select(r => r.Json)) + "]";
}
