namespace CallImport.ImportRunner.Processing;

/// <summary>Everything one run of an import needs to know, from the command line or the operator.</summary>
public sealed record ImportRunOptions
{
    /// <summary>The import's id in the store (an ImportJob's UID; a command-line import derives one from its arguments).</summary>
    public required string ImportId { get; init; }
    /// <summary>Written to <c>engagements.import_batch_id</c>.</summary>
    public required string BatchId { get; init; }
    public required string RunId { get; init; }
    public required string CustomerId { get; init; }
    public required string Platform { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public IReadOnlyDictionary<string, string> Filters { get; init; } = new Dictionary<string, string>();
    public IReadOnlyCollection<string> InternalDomains { get; init; } = [];
    public int Concurrency { get; init; } = 4;
    public int MaxAttemptsPerCall { get; init; } = 5;
    /// <summary>
    /// Pending calls a pass reads (with their listing payloads) and processes at a time: memory stays bounded by a
    /// page whatever the import's size. Tests lower it to cross pages with few calls.
    /// </summary>
    public int PendingPageSize { get; init; } = 1000;
    /// <summary>
    /// Whether calls are taken while the listing goes on; only where listing spends nothing a call needs too (a
    /// platform without limits: manual uploads). A vendor's listing goes first, so that calls never spend a day's
    /// quota (declared or the vendor's own) before the listing, which starts over when cut short, is done.
    /// </summary>
    public bool TakeCallsWhileListing { get; init; }
    public double? RequestsPerSecond { get; init; }
    public long? RequestsPerDay { get; init; }
    /// <summary>When the schedule window closes: no new call is taken after it.</summary>
    public DateTimeOffset? StopAt { get; init; }
}
