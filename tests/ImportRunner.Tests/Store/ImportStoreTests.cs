using CallImport.Store;

namespace CallImport.ImportRunner.Tests.Store;

public sealed class ImportStoreTests(ImportDatabase database) : IClassFixture<ImportDatabase>
{
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private async Task<(ImportStore Store, string ImportId)> NewImportAsync(string customer = "acme")
    {
        var store = database.Store();
        var id = "imp-" + Guid.NewGuid().ToString("N")[..8];
        await store.EnsureImportAsync(new ImportDefinition(id, customer, "grain", From, From.AddDays(30)), default);
        return (store, id);
    }

    private static EngagementRecord Engagement(string importId, string callId, string customer = "acme", string? transcript = null) => new()
    {
        CustomerId = customer, ImportSource = "grain", SourceCallId = callId, ImportBatchId = importId,
        Title = "Call " + callId, StartedAt = From.AddHours(1), DurationSeconds = 60,
        ParticipantsJson = "[]", MetadataQuality = "partial", TranscriptJson = transcript,
    };

    [Fact]
    public async Task MigrationsRunTwice_SecondRunChangesNothing()
    {
        await SchemaMigrations.ApplyAsync(database.DataSource, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, default);
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM schema_migrations WHERE version = '1'"));
    }

    [Fact]
    public async Task ListingTheSameCallsTwice_RecordsEachOnce()
    {
        var (store, id) = await NewImportAsync();
        ListedCall[] calls = [new("a", null, null), new("b", From, "{}")];
        await store.RecordListedCallsAsync(id, calls, default);
        await store.RecordListedCallsAsync(id, calls, default);
        var progress = await store.GetProgressAsync(id, 5, default);
        Assert.Equal(2, progress!.Total);
        Assert.Equal(2, progress.Pending);
    }

    [Fact]
    public async Task CompletingACallTwice_LeavesOneEngagementAndOneTranscriptionRequest()
    {
        var (store, id) = await NewImportAsync("twice");
        await store.RecordListedCallsAsync(id, [new ListedCall("c1", null, null)], default);
        Assert.Equal(CallOutcome.Imported, await store.CompleteCallAsync(id, Engagement(id, "c1", "twice"), default));
        Assert.Equal(CallOutcome.Imported, await store.CompleteCallAsync(id, Engagement(id, "c1", "twice"), default));
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM engagements WHERE customer_id = 'twice'"));
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM transcription_requests WHERE customer_id = 'twice'"));
        var progress = await store.GetProgressAsync(id, 5, default);
        Assert.Equal(1, progress!.Imported);
    }

    [Fact]
    public async Task CallImportedByAnotherBatch_IsSkippedAndKeepsTheFirstBatch()
    {
        var (store, first) = await NewImportAsync("shared");
        var (_, second) = await NewImportAsync("shared");
        await store.RecordListedCallsAsync(first, [new ListedCall("x", null, null)], default);
        await store.RecordListedCallsAsync(second, [new ListedCall("x", null, null)], default);
        await store.CompleteCallAsync(first, Engagement(first, "x", "shared"), default);
        Assert.Equal(CallOutcome.Skipped, await store.CompleteCallAsync(second, Engagement(second, "x", "shared"), default));
        Assert.Equal(first, await store.FindEngagementBatchAsync("shared", "grain", "x", default));
        Assert.Equal(1, (await store.GetProgressAsync(second, 5, default))!.Skipped);
    }

    [Fact]
    public async Task TranscriptGiven_StoredAndNoRequestQueued()
    {
        var (store, id) = await NewImportAsync("transcribed");
        await store.RecordListedCallsAsync(id, [new ListedCall("t", null, null)], default);
        await store.CompleteCallAsync(id, Engagement(id, "t", "transcribed", """{"segments":[{"text":"hi"}]}"""), default);
        Assert.Equal(0, await database.CountAsync("SELECT count(*) FROM transcription_requests WHERE customer_id = 'transcribed'"));
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM engagements WHERE customer_id = 'transcribed' AND transcript->'segments'->0->>'text' = 'hi'"));
    }

    [Fact]
    public async Task TransientFailures_StayPendingUntilTheLastAttempt_ThenFailRetryable()
    {
        var (store, id) = await NewImportAsync();
        await store.RecordListedCallsAsync(id, [new ListedCall("flaky", null, null)], default);
        Assert.Equal(CallState.Pending, await store.RecordCallFailureAsync(id, "flaky", "HTTP 503", true, 3, default));
        Assert.Equal(CallState.Pending, await store.RecordCallFailureAsync(id, "flaky", "HTTP 503", true, 3, default));
        Assert.Equal(CallState.Failed, await store.RecordCallFailureAsync(id, "flaky", "HTTP 503", true, 3, default));
        var progress = await store.GetProgressAsync(id, 5, default);
        Assert.Equal((1, 1, 0), (progress!.Failed, progress.FailedRetryable, progress.Pending));
        Assert.Equal("HTTP 503", Assert.Single(progress.RecentErrors).Error);
    }

    [Fact]
    public async Task PermanentFailure_FailsAtOnce_AndRetryResetLeavesItFailed()
    {
        var (store, id) = await NewImportAsync();
        await store.RecordListedCallsAsync(id, [new ListedCall("gone", null, null), new ListedCall("flaky", null, null)], default);
        Assert.Equal(CallState.Failed, await store.RecordCallFailureAsync(id, "gone", "HTTP 404", false, 5, default));
        await store.RecordCallFailureAsync(id, "flaky", "HTTP 503", true, 1, default);
        Assert.Equal(1, await store.ResetRetryableFailuresAsync(id, default));
        var ids = await store.PendingCallIdsAsync(id, default);
        Assert.Equal("flaky", Assert.Single(ids));
        Assert.Equal(0, Assert.Single(await store.PendingCallsAsync(id, ids, default)).Attempts);
    }

    [Fact]
    public async Task PendingCallIds_FewestAttemptsFirst_ThenInListingOrder()
    {
        var (store, id) = await NewImportAsync();
        await store.RecordListedCallsAsync(id, [new ListedCall("b", null, null), new ListedCall("a", null, null), new ListedCall("flaky", null, null)], default);
        await store.RecordListedCallsAsync(id, [new ListedCall("0-listed-later", null, null)], default);
        await store.RecordListedCallsAsync(id, [new ListedCall("done", null, null)], default);
        await store.CompleteCallAsync(id, Engagement(id, "done"), default);
        await store.RecordCallFailureAsync(id, "flaky", "HTTP 503", true, 5, default);

        Assert.Equal(["a", "b", "0-listed-later", "flaky"], await store.PendingCallIdsAsync(id, default));
    }

    [Fact]
    public async Task ListedCallsToProcess_AreThoseRecordedNow_WithTheirPayloads_AndTheBatchOfAnEngagementStoredBefore()
    {
        var (store, id) = await NewImportAsync("relisted");
        var (_, other) = await NewImportAsync("relisted");
        // Listed by an earlier run: "a" still pending, "b" done since.
        await store.RecordListedCallsAsync(id, [new ListedCall("a", null, null), new ListedCall("b", null, null)], default);
        await store.CompleteCallAsync(id, Engagement(id, "b", "relisted"), default);
        // "c" is stored already, by another import of the customer's calls.
        await store.RecordListedCallsAsync(other, [new ListedCall("c", null, null)], default);
        await store.CompleteCallAsync(other, Engagement(other, "c", "relisted"), default);

        var recorded = await store.RecordListedCallsToProcessAsync(id,
            [new ListedCall("a", From, "{}"), new ListedCall("b", From, "{}"), new ListedCall("c", From.AddHours(2), """{"call":"c"}"""), new ListedCall("d", null, null)], default);

        Assert.Equal(["c", "d"], recorded.Select(c => c.SourceCallId).Order(StringComparer.Ordinal));
        var c = recorded.Single(r => r.SourceCallId == "c");
        Assert.Equal(new PendingCall("c", 0, From.AddHours(2), """{"call":"c"}""", other), c);
        Assert.Equal(new PendingCall("d", 0, null, null, null), recorded.Single(r => r.SourceCallId == "d"));
        Assert.Equal(["a", "c", "d"], await store.PendingCallIdsAsync(id, default));
        Assert.Empty(await store.RecordListedCallsToProcessAsync(id, [], default));
    }

    [Fact]
    public async Task PendingCallsOfGivenIds_AreThoseStillPending_InTheGivenOrder_WithTheirPayloads()
    {
        var (store, id) = await NewImportAsync("paged");
        var (_, other) = await NewImportAsync("paged");
        await store.RecordListedCallsAsync(id, [.. "abcdef".Select(c => new ListedCall(c.ToString(), From.AddHours(c - 'a'), $$"""{"call":"{{c}}"}"""))], default);
        await store.RecordListedCallsAsync(other, [new ListedCall("z", null, null)], default);
        await store.CompleteCallAsync(id, Engagement(id, "c", "paged"), default);
        await store.RecordCallFailureAsync(id, "d", "HTTP 404", false, 5, default);
        await store.RecordCallFailureAsync(id, "e", "HTTP 503", true, 5, default);
        await store.RecordListedCallsAsync(other, [new ListedCall("f", null, null)], default);
        await store.CompleteCallAsync(other, Engagement(other, "f", "paged"), default);

        // c is done, d failed, z is another import's and "missing" was never listed: none of them comes back.
        var calls = await store.PendingCallsAsync(id, ["f", "e", "missing", "d", "a", "c", "z", "b"], default);

        Assert.Equal(["f", "e", "a", "b"], calls.Select(c => c.SourceCallId));
        Assert.Equal([0, 1, 0, 0], calls.Select(c => c.Attempts));
        Assert.Equal(["""{"call":"f"}""", """{"call":"e"}""", """{"call":"a"}""", """{"call":"b"}"""], calls.Select(c => c.ListingPayload));
        Assert.Equal(From.AddHours(4), calls[1].StartedAt);
        Assert.Equal([other, null, null, null], calls.Select(c => c.ImportedByBatch));
        Assert.Empty(await store.PendingCallsAsync(id, [], default));
    }

    [Fact]
    public async Task RunStatistics_FromSeveralReports_SumUp()
    {
        var (store, id) = await NewImportAsync();
        await store.AddRunStatisticsAsync(id, new RunStatistics(10, 2, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(5), 4), default);
        await store.AddRunStatisticsAsync(id, new RunStatistics(5, 1, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 3), default);
        await store.AddRunStatisticsAsync(id, RunStatistics.Zero, default);
        var statistics = (await store.GetProgressAsync(id, 0, default))!.Statistics;
        Assert.Equal(new RunStatistics(15, 3, TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(7), 7), statistics);
    }

    [Fact]
    public async Task SameImportIdForAnotherCustomer_IsRefused()
    {
        var (store, id) = await NewImportAsync("one");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            store.EnsureImportAsync(new ImportDefinition(id, "two", "grain", From, From.AddDays(1)), default));
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DailyQuota_NeverPassesItsLimit_EvenWithConcurrentReservations()
    {
        var counter = new DailyRequestCounter(database.DataSource);
        var day = new DateOnly(2026, 3, 1);
        var credential = Guid.NewGuid().ToString("N")[..8];
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => counter.TryReserveAsync("gong", credential, day, 25, 1, default)));
        Assert.Equal(25, results.Count(r => r));
        Assert.Equal(25, await counter.CountAsync("gong", credential, day, default));
        Assert.True(await counter.TryReserveAsync("gong", credential, day.AddDays(1), 25, 1, default));
    }
}
