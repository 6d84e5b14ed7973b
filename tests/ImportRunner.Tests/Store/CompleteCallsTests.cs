using CallImport.Store;
using Npgsql;

namespace CallImport.ImportRunner.Tests.Store;

/// <summary>
/// The group commit's one set-based statement: each call of the batch gets its own outcome, by its position,
/// whatever mix of new, already stored, repeated and vanished engagements the batch holds.
/// </summary>
public sealed class CompleteCallsTests(ImportDatabase database) : IClassFixture<ImportDatabase>
{
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private async Task<(ImportStore Store, string ImportId, string Customer)> NewImportAsync(string? customer = null, params string[] calls)
    {
        var store = database.Store();
        var id = "imp-" + Guid.NewGuid().ToString("N")[..8];
        customer ??= "complete-" + id;
        await store.EnsureImportAsync(new ImportDefinition(id, customer, "grain", From, From.AddDays(30)), default);
        await store.RecordListedCallsAsync(id, [.. calls.Select(c => new ListedCall(c, null, null))], default);
        return (store, id, customer);
    }

    private static EngagementRecord Engagement(string importId, string customer, string callId, string quality = "partial", string? transcript = null) => new()
    {
        CustomerId = customer, ImportSource = "grain", SourceCallId = callId, ImportBatchId = importId,
        Title = "Call " + callId, StartedAt = From.AddHours(1), DurationSeconds = 60,
        ParticipantsJson = "[]", MetadataQuality = quality, TranscriptJson = transcript,
    };

    private Task<long> CountAsync(string sql, params object[] parameters) => database.CountAsync(sql, parameters);

    [Fact]
    public async Task SameCallTwiceInOneBatch_IsCompletedOnce_BothToldImported()
    {
        var (store, id, customer) = await NewImportAsync(null, "c0", "c1");

        // Two identical keys in one INSERT … ON CONFLICT would raise "cannot affect row a second time".
        var outcomes = await store.CompleteCallsAsync(id,
            [Engagement(id, customer, "c0", quality: "full"), Engagement(id, customer, "c1"), Engagement(id, customer, "c0", quality: "minimal")],
            RunStatistics.Zero, default);

        Assert.Equal(new CallOutcome?[] { CallOutcome.Imported, CallOutcome.Imported, CallOutcome.Imported }, outcomes);
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM engagements WHERE customer_id = $1", customer));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM transcription_requests WHERE customer_id = $1", customer));
        // The first of the two is the one stored, and the call's state agrees with it.
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM engagements WHERE customer_id = $1 AND source_call_id = 'c0' AND metadata_quality = 'full'", customer));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM import_calls WHERE import_id = $1 AND source_call_id = 'c0' AND state = 'done' AND metadata_quality = 'full'", id));
    }

    [Fact]
    public async Task SameStoredCallTwiceInOneBatch_BothToldSkipped()
    {
        var (store, first, customer) = await NewImportAsync(null, "c0");
        await store.CompleteCallAsync(first, Engagement(first, customer, "c0"), default);
        var (_, second, _) = await NewImportAsync(customer, "c0");

        var outcomes = await store.CompleteCallsAsync(second, [Engagement(second, customer, "c0"), Engagement(second, customer, "c0")], RunStatistics.Zero, default);

        Assert.Equal(new CallOutcome?[] { CallOutcome.Skipped, CallOutcome.Skipped }, outcomes);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM import_calls WHERE import_id = $1 AND state = 'done' AND outcome = 'skipped'", second));
    }

    [Fact]
    public async Task MixOfNewStoredElsewhereAndStoredByThisBatch_EachGetsItsOwnOutcome_AndRequestsOnlyWhereDue()
    {
        var (store, other, customer) = await NewImportAsync(null, "elsewhere");
        await store.CompleteCallAsync(other, Engagement(other, customer, "elsewhere"), default);
        var (_, id, _) = await NewImportAsync(customer, "new", "elsewhere", "again", "transcribed");
        // Stored by this batch before (a run killed after its commit, whose call is still handed over again).
        await store.CompleteCallAsync(id, Engagement(id, customer, "again"), default);
        var requestsBefore = await CountAsync("SELECT count(*) FROM transcription_requests WHERE customer_id = $1", customer);

        var outcomes = await store.CompleteCallsAsync(id,
            [Engagement(id, customer, "new"), Engagement(id, customer, "elsewhere"), Engagement(id, customer, "again"),
             Engagement(id, customer, "transcribed", transcript: """{"segments":[]}""")],
            RunStatistics.Zero, default);

        Assert.Equal(new CallOutcome?[] { CallOutcome.Imported, CallOutcome.Skipped, CallOutcome.Imported, CallOutcome.Imported }, outcomes);
        Assert.Equal(other, await store.FindEngagementBatchAsync(customer, "grain", "elsewhere", default));
        // One new request: "new". Not "elsewhere" (another batch's engagement), not "again" (queued already),
        // not "transcribed" (it has its transcript).
        Assert.Equal(requestsBefore + 1, await CountAsync("SELECT count(*) FROM transcription_requests WHERE customer_id = $1", customer));
        Assert.Equal(1, await CountAsync("""
            SELECT count(*) FROM transcription_requests r JOIN engagements e ON e.id = r.engagement_id
            WHERE e.customer_id = $1 AND e.source_call_id = 'new'
            """, customer));
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM import_calls WHERE import_id = $1 AND state = 'done' AND outcome = 'imported'", id));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM import_calls WHERE import_id = $1 AND source_call_id = 'elsewhere' AND state = 'done' AND outcome = 'skipped'", id));
    }

    [Fact]
    public async Task RepeatedBatch_AfterALostReply_ChangesNoCall()
    {
        var (store, id, customer) = await NewImportAsync(null, "c0", "c1", "c2");
        EngagementRecord[] batch = [Engagement(id, customer, "c0"), Engagement(id, customer, "c1"), Engagement(id, customer, "c2")];

        var first = await store.CompleteCallsAsync(id, batch, RunStatistics.Zero, default);
        var second = await store.CompleteCallsAsync(id, batch, RunStatistics.Zero, default);

        Assert.Equal(first, second);
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM engagements WHERE customer_id = $1", customer));
        Assert.Equal(3, await CountAsync("SELECT count(*) FROM transcription_requests WHERE customer_id = $1", customer));
        Assert.Equal(3, (await store.GetProgressAsync(id, 5, default))!.Imported);
    }

    [Fact]
    public async Task Statistics_AreAddedOncePerBatch()
    {
        var (store, id, customer) = await NewImportAsync(null, "c0", "c1", "c2", "c3");

        await store.CompleteCallsAsync(id, [.. "0123".Select(c => Engagement(id, customer, $"c{c}"))],
            new RunStatistics(7, 2, TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(400), 4), default);

        var statistics = (await store.GetProgressAsync(id, 0, default))!.Statistics;
        Assert.Equal(new RunStatistics(7, 2, TimeSpan.FromMilliseconds(30), TimeSpan.FromMilliseconds(400), 4), statistics);
    }

    [Fact]
    public async Task CallsWithoutOptionalFields_BesideFullOnes_StoreNulls()
    {
        var (store, id, customer) = await NewImportAsync(null, "bare", "full");
        var bare = Engagement(id, customer, "bare") with { Title = null, StartedAt = null, DurationSeconds = null, MediaUri = null };
        var full = Engagement(id, customer, "full", transcript: """{"segments":[]}""") with { MediaUri = "file:///media/full" };

        var outcomes = await store.CompleteCallsAsync(id, [bare, full], RunStatistics.Zero, default);

        Assert.Equal(new CallOutcome?[] { CallOutcome.Imported, CallOutcome.Imported }, outcomes);
        Assert.Equal(1, await CountAsync("""
            SELECT count(*) FROM engagements WHERE customer_id = $1 AND source_call_id = 'bare'
              AND title IS NULL AND started_at IS NULL AND duration_seconds IS NULL AND media_uri IS NULL AND transcript IS NULL
            """, customer));
        Assert.Equal(1, await CountAsync("""
            SELECT count(*) FROM engagements WHERE customer_id = $1 AND source_call_id = 'full' AND title = 'Call full'
              AND started_at = '2026-01-01T01:00:00Z' AND duration_seconds = 60 AND media_uri = 'file:///media/full' AND transcript = '{"segments":[]}'
            """, customer));
    }

    [Fact]
    public async Task CallNotListedInTheImport_GetsItsEngagement_ButNoCallRow()
    {
        var (store, id, customer) = await NewImportAsync(null, "listed");

        var outcomes = await store.CompleteCallsAsync(id, [Engagement(id, customer, "listed"), Engagement(id, customer, "unlisted")], RunStatistics.Zero, default);

        Assert.Equal(new CallOutcome?[] { CallOutcome.Imported, CallOutcome.Imported }, outcomes);
        // The call's state is written as an upsert that must always meet the listed row: it never adds one.
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM import_calls WHERE import_id = $1 AND source_call_id = 'unlisted'", id));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM import_calls WHERE import_id = $1 AND state = 'done'", id));
    }

    [Fact]
    public async Task EngagementAnotherTransactionCommitsMeanwhile_IsNullForThatCallOnly_WhichStaysPending()
    {
        var (store, id, customer) = await NewImportAsync(null, "c0", "contested", "c2");
        await using var rival = await database.DataSource.OpenConnectionAsync();
        await using var transaction = await rival.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO engagements (customer_id, import_source, source_call_id, import_batch_id, metadata_quality)
            VALUES ($1, 'grain', 'contested', 'rival-batch', 'minimal')
            """, rival, transaction))
        {
            insert.Parameters.AddWithValue(customer);
            await insert.ExecuteNonQueryAsync();
        }

        // The statement's snapshot is taken before the rival commits; its insert of "contested" waits for the
        // rival, then finds the key taken: neither inserted by it nor visible to it.
        var completing = store.CompleteCallsAsync(id,
            [Engagement(id, customer, "c0"), Engagement(id, customer, "contested"), Engagement(id, customer, "c2")], RunStatistics.Zero, default);
        await WaitUntilBlockedAsync(rival.ProcessID);
        await transaction.CommitAsync();
        var outcomes = await completing;

        Assert.Equal(new CallOutcome?[] { CallOutcome.Imported, null, CallOutcome.Imported }, outcomes);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM import_calls WHERE import_id = $1 AND source_call_id = 'contested' AND state = 'pending'", id));
        Assert.Equal(2, await CountAsync("SELECT count(*) FROM import_calls WHERE import_id = $1 AND state = 'done'", id));
        // The next attempt sees the rival's engagement and skips the call.
        Assert.Equal(CallOutcome.Skipped, await store.CompleteCallAsync(id, Engagement(id, customer, "contested"), default));
    }

    [Fact]
    public async Task CallsOfAnotherImport_InTheSameBatch_AreRefusedByName()
    {
        var (store, id, customer) = await NewImportAsync(null, "c0");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => store.CompleteCallsAsync(id,
            [Engagement(id, customer, "c0"), Engagement(id, customer + "-other", "c1")], RunStatistics.Zero, default));

        Assert.Contains("Call c1", error.Message, StringComparison.Ordinal);
        Assert.Contains("CustomerId", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM engagements WHERE customer_id = $1", customer));
    }

    /// <summary>Waits (no time limit asserted) until some backend waits for a lock held by <paramref name="holder"/>.</summary>
    private async Task WaitUntilBlockedAsync(int holder)
    {
        for (var i = 0; i < 600; i++)
        {
            if (await CountAsync("SELECT count(*) FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))", holder) > 0) return;
            await Task.Delay(50);
        }
        throw new TimeoutException("The completion never waited for the rival transaction's insert.");
    }
}
