namespace CallImport.Store;

public sealed partial class ImportStore
{
    /// <summary>Every import's totals (for the operator's counters: they come from here, so a new leader carries on from the same values).</summary>
    public async Task<IReadOnlyList<ImportTotals>> ImportTotalsAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            SELECT i.import_id, i.platform,
                   coalesce(c.done, 0), coalesce(c.failed, 0),
                   i.requests, i.throttled_requests, i.rate_limit_wait_ms, i.processing_ms, i.processed_attempts
            FROM imports i
            LEFT JOIN (SELECT import_id,
                              count(*) FILTER (WHERE state = 'done') AS done,
                              count(*) FILTER (WHERE state = 'failed') AS failed
                       FROM import_calls GROUP BY import_id) c ON c.import_id = i.import_id
            """);
        var totals = new List<ImportTotals>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            totals.Add(new ImportTotals(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3),
                new RunStatistics(r.GetInt64(4), r.GetInt64(5), TimeSpan.FromMilliseconds(r.GetInt64(6)),
                    TimeSpan.FromMilliseconds(r.GetInt64(7)), r.GetInt64(8))));
        }
        return totals;
    }
}
