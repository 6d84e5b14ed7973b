using CallImport.ImportRunner.Processing;
using CallImport.ImportRunner.Storage;
using CallImport.Store;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace CallImport.ImportRunner.Tests.Processing;

/// <summary>
/// Several finished calls committed in one transaction: all of them or none, each call told its own outcome,
/// a bad call failing alone, the run's statistics counted once.
/// </summary>
public sealed class GroupCommitTests(ImportDatabase database) : IClassFixture<ImportDatabase>
{
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private async Task<(ImportStore Store, string ImportId, string Customer)> NewImportAsync(int calls)
    {
        var store = database.Store();
        var id = "imp-" + Guid.NewGuid().ToString("N")[..8];
        var customer = "group-" + id;
        await store.EnsureImportAsync(new ImportDefinition(id, customer, "grain", From, From.AddDays(30)), default);
        await store.RecordListedCallsAsync(id, [.. Enumerable.Range(0, calls).Select(i => new ListedCall($"c{i}", null, null))], default);
        return (store, id, customer);
    }

    private static EngagementRecord Engagement(string importId, string customer, string callId, string participants = "[]") => new()
    {
        CustomerId = customer, ImportSource = "grain", SourceCallId = callId, ImportBatchId = importId,
        Title = "Call " + callId, StartedAt = From.AddHours(1), DurationSeconds = 60,
        ParticipantsJson = participants, MetadataQuality = "partial",
    };

    /// <summary>Values PostgreSQL refuses, each failing the whole statement of a batch.</summary>
    public static TheoryData<string> Culprits => ["malformed participants", "unknown metadata quality", "NUL in the title", "call id too long for the unique index"];

    private static EngagementRecord Culprit(EngagementRecord engagement, string culprit) => culprit switch
    {
        "malformed participants" => engagement with { ParticipantsJson = "not json" },
        "unknown metadata quality" => engagement with { MetadataQuality = "superb" },
        "NUL in the title" => engagement with { Title = "Call\0" },
        // Random hex does not compress: the key's index entry passes the 2,704-byte limit of a btree row.
        "call id too long for the unique index" => engagement with { SourceCallId = string.Concat(Enumerable.Range(0, 120).Select(_ => Guid.NewGuid().ToString("N"))) },
        _ => throw new ArgumentOutOfRangeException(nameof(culprit)),
    };

    [Fact]
    public async Task CallsFinishingTogether_AreCommittedInFewerTransactions_EachDoneOnce()
    {
        const int calls = 200;
        var (store, id, customer) = await NewImportAsync(calls);
        var before = store.Commands;
        await using (var commits = new GroupCommit(store, id, GroupCommit.BacklogFor(8)))
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(0, calls).Select(i =>
                commits.CommitAsync(Engagement(id, customer, $"c{i}"), new RunStatistics(1, 0, TimeSpan.Zero, TimeSpan.FromMilliseconds(2), 1), default)));

            Assert.All(outcomes, o => Assert.Equal(CallOutcome.Imported, o));
            // Queued together, committed together: fewer transactions than calls, one statement per transaction.
            Assert.InRange(commits.Commits, 1, calls - 1);
            Assert.Equal(commits.Commits, store.Commands - before);
        }
        Assert.Equal(calls, await database.CountAsync($"SELECT count(*) FROM engagements WHERE customer_id = '{customer}'"));
        Assert.Equal(calls, await database.CountAsync($"SELECT count(*) FROM transcription_requests WHERE customer_id = '{customer}'"));
        Assert.Equal(calls, await database.CountAsync($"SELECT count(*) FROM import_calls WHERE import_id = '{id}' AND state = 'done' AND outcome = 'imported'"));
        // Each call's statistics counted once, whichever statement of its batch carried them.
        Assert.Equal((long)calls, await database.CountAsync($"SELECT requests FROM imports WHERE import_id = '{id}'"));
        Assert.Equal(2L * calls, await database.CountAsync($"SELECT processing_ms FROM imports WHERE import_id = '{id}'"));
    }

    [Fact]
    public async Task CallsQueuedWhileACommitGathers_JoinIt_UpToTheCallsWorthGathering()
    {
        const int calls = GroupCommit.CallsWorthGathering;
        var (store, id, customer) = await NewImportAsync(calls);
        var clock = new FakeTimeProvider(); // never advanced: the gathering ends only when enough calls have come
        await using var commits = new GroupCommit(store, id, GroupCommit.BacklogFor(4), clock);
        var statistics = new RunStatistics(1, 0, TimeSpan.Zero, TimeSpan.Zero, 1);

        var first = commits.CommitAsync(Engagement(id, customer, "c0"), statistics, default);
        // Time enough for a commit that did not gather to take the first call alone.
        await Task.Delay(200);
        var others = Enumerable.Range(1, calls - 1).Select(i => commits.CommitAsync(Engagement(id, customer, $"c{i}"), statistics, default)).ToList();
        await Task.WhenAll([first, .. others]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, commits.Commits);
        Assert.Equal(calls, await database.CountAsync($"SELECT count(*) FROM import_calls WHERE import_id = '{id}' AND state = 'done'"));
    }

    [Fact]
    public async Task ALoneCall_IsCommittedOnceTheGatheringTimeHasPassed_OnTheRunsClock()
    {
        var (store, id, customer) = await NewImportAsync(1);
        var clock = new FakeTimeProvider();
        await using var commits = new GroupCommit(store, id, GroupCommit.BacklogFor(4), clock);

        var alone = commits.CommitAsync(Engagement(id, customer, "c0"), RunStatistics.Zero, default);
        // The gathering starts on the committer's own task, at a moment the test cannot see: the clock moves on a
        // gathering's time at a time until the call is committed (a bounded number of times).
        for (var advances = 0; !alone.IsCompleted && advances < 500; advances++)
        {
            clock.Advance(GroupCommit.GatheringTime);
            await Task.WhenAny(alone, Task.Delay(10));
        }

        Assert.Equal(CallOutcome.Imported, await alone.WaitAsync(TimeSpan.FromSeconds(1)));
        Assert.Equal(1, commits.Commits);
    }

    [Fact]
    public async Task TheLastCallsOfAPass_AreCommittedAtOnce_WhenNoMoreCallsAreComing()
    {
        var (store, id, customer) = await NewImportAsync(3);
        var clock = new FakeTimeProvider(); // never advanced: a commit that gathered would wait for ever
        await using var commits = new GroupCommit(store, id, GroupCommit.BacklogFor(4), clock);

        var last = Enumerable.Range(0, 3).Select(i => commits.CommitAsync(Engagement(id, customer, $"c{i}"), RunStatistics.Zero, default)).ToList();
        commits.NoMoreCallsComing();

        Assert.All(await Task.WhenAll(last).WaitAsync(TimeSpan.FromSeconds(30)), o => Assert.Equal(CallOutcome.Imported, o));
        Assert.InRange(commits.Commits, 1, 3);
    }

    [Fact]
    public async Task CallsQueuedAfterThePassEnded_GatherAgain()
    {
        const int calls = GroupCommit.CallsWorthGathering;
        var (store, id, customer) = await NewImportAsync(calls + 1);
        var clock = new FakeTimeProvider(); // never advanced: the gathering ends only when enough calls have come
        await using var commits = new GroupCommit(store, id, GroupCommit.BacklogFor(4), clock);
        var statistics = new RunStatistics(1, 0, TimeSpan.Zero, TimeSpan.Zero, 1);
        var endOfPass = commits.CommitAsync(Engagement(id, customer, $"c{calls}"), statistics, default);
        commits.NoMoreCallsComing();
        await endOfPass.WaitAsync(TimeSpan.FromSeconds(30));
        var before = commits.Commits;

        // The next pass: its first call waits for the others, as in CallsQueuedWhileACommitGathers_JoinIt_….
        var first = commits.CommitAsync(Engagement(id, customer, "c0"), statistics, default);
        await Task.Delay(200);
        var others = Enumerable.Range(1, calls - 1).Select(i => commits.CommitAsync(Engagement(id, customer, $"c{i}"), statistics, default)).ToList();
        await Task.WhenAll([first, .. others]).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, commits.Commits - before);
    }

    [Fact]
    public async Task ABatchWithOneBadStatement_CommitsNothing()
    {
        var (store, id, customer) = await NewImportAsync(3);
        EngagementRecord[] batch = [Engagement(id, customer, "c0"), Engagement(id, customer, "c1", participants: "not json"), Engagement(id, customer, "c2")];

        await Assert.ThrowsAsync<PostgresException>(() => store.CompleteCallsAsync(id, batch, new RunStatistics(3, 0, TimeSpan.Zero, TimeSpan.Zero, 3), default));

        // One transaction: the good calls before and after the bad one were rolled back with it.
        Assert.Equal(0, await database.CountAsync($"SELECT count(*) FROM engagements WHERE customer_id = '{customer}'"));
        Assert.Equal(3, await database.CountAsync($"SELECT count(*) FROM import_calls WHERE import_id = '{id}' AND state = 'pending'"));
        Assert.Equal(0, await database.CountAsync($"SELECT requests FROM imports WHERE import_id = '{id}'"));
    }

    [Theory]
    [MemberData(nameof(Culprits))]
    public async Task OneBadCallAmongMany_FailsAlone_TheOthersAreCommitted(string culprit)
    {
        const int calls = 40;
        var (store, id, customer) = await NewImportAsync(calls);
        await using var commits = new GroupCommit(store, id, GroupCommit.BacklogFor(4));

        var results = Enumerable.Range(0, calls).Select(i =>
        {
            var engagement = Engagement(id, customer, $"c{i}");
            return commits.CommitAsync(i == 17 ? Culprit(engagement, culprit) : engagement, new RunStatistics(1, 0, TimeSpan.Zero, TimeSpan.Zero, 1), default);
        }).ToArray();
        await Task.WhenAll(results).ContinueWith(_ => { }, TaskScheduler.Default);

        Assert.IsType<PostgresException>(results[17].Exception?.InnerException);
        Assert.All(results.Where((_, i) => i != 17), r => Assert.Equal(CallOutcome.Imported, r.Result));
        Assert.Equal(calls - 1, await database.CountAsync($"SELECT count(*) FROM engagements WHERE customer_id = '{customer}'"));
        Assert.Equal(calls - 1, await database.CountAsync($"SELECT count(*) FROM import_calls WHERE import_id = '{id}' AND state = 'done'"));
        Assert.Equal(1, await database.CountAsync($"SELECT count(*) FROM import_calls WHERE import_id = '{id}' AND state = 'pending' AND source_call_id = 'c17'"));
        // The statistics of the calls committed, once each, whether in a batch or alone after the culprit broke one.
        Assert.Equal(calls - 1, await database.CountAsync($"SELECT requests FROM imports WHERE import_id = '{id}'"));
    }

    [Fact]
    public async Task EachCommit_MakesTheMediaDurableFirst_BeforeAnyCallOfItIsCommitted()
    {
        const int calls = 150;
        var (store, id, customer) = await NewImportAsync(calls);
        using var media = new LocalMediaStorage(Directory.CreateTempSubdirectory("group-durable-").FullName);
        // What PostgreSQL holds as each flush starts: the calls of the commits before it, none of its own.
        var committedAtFlush = new List<long>();
        var storage = new DurabilityWatchingStorage(media, async () =>
            committedAtFlush.Add(await database.CountAsync($"SELECT count(*) FROM engagements WHERE customer_id = '{customer}'")));
        var stored = await media.PutAsync("acme/grain/c/recording.mp3", new MemoryStream([1, 2, 3]), "audio/mpeg", 3, default);

        await using (var commits = new GroupCommit(store, id, GroupCommit.BacklogFor(8), media: storage))
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(0, calls).Select(i =>
                commits.CommitAsync(Engagement(id, customer, $"c{i}") with { MediaUri = stored.Uri }, RunStatistics.Zero, default)));

            Assert.All(outcomes, o => Assert.Equal(CallOutcome.Imported, o));
            Assert.Equal(commits.Commits, storage.Flushes);
        }
        Assert.Equal(calls, await database.CountAsync($"SELECT count(*) FROM engagements WHERE customer_id = '{customer}'"));
        // One flush per commit, each before its commit: the counts climb from none, and the last flush saw fewer than all.
        Assert.Equal(0, committedAtFlush[0]);
        Assert.True(committedAtFlush.Zip(committedAtFlush.Skip(1)).All(p => p.First < p.Second), string.Join(", ", committedAtFlush));
        Assert.True(committedAtFlush[^1] < calls, string.Join(", ", committedAtFlush));
    }

    [Fact]
    public async Task AFlushThatFails_FailsEveryCallOfItsCommit_CommitsNone_AndTheirRetryCommitsThem()
    {
        const int calls = 40;
        var (store, id, customer) = await NewImportAsync(calls);
        using var media = new LocalMediaStorage(Directory.CreateTempSubdirectory("group-durable-").FullName);
        var storage = new DurabilityWatchingStorage(media, () => Task.CompletedTask) { FlushesToFail = 1 };
        var statistics = new RunStatistics(1, 0, TimeSpan.Zero, TimeSpan.Zero, 1);
        await using var commits = new GroupCommit(store, id, GroupCommit.BacklogFor(4), media: storage);
        Task<CallOutcome> Commit(int i) => commits.CommitAsync(Engagement(id, customer, $"c{i}") with { MediaUri = "file:///media/c" + i }, statistics, default);

        var first = Enumerable.Range(0, calls).Select(Commit).ToArray();
        await Task.WhenAll(first).ContinueWith(_ => { }, TaskScheduler.Default);

        var failed = first.Where(t => t.IsFaulted).ToList();
        Assert.NotEmpty(failed);
        Assert.All(failed, t => Assert.IsType<IOException>(t.Exception!.InnerException));
        var committed = first.Count(t => t.IsCompletedSuccessfully);
        Assert.Equal(committed, await database.CountAsync($"SELECT count(*) FROM engagements WHERE customer_id = '{customer}'"));
        Assert.Equal(failed.Count, await database.CountAsync($"SELECT count(*) FROM import_calls WHERE import_id = '{id}' AND state = 'pending'"));
        // Nor were the failed calls' statistics counted.
        Assert.Equal(committed, await database.CountAsync($"SELECT requests FROM imports WHERE import_id = '{id}'"));

        var retried = await Task.WhenAll(Enumerable.Range(0, calls).Where(i => first[i].IsFaulted).Select(Commit));
        Assert.All(retried, o => Assert.Equal(CallOutcome.Imported, o));
        Assert.Equal(calls, await database.CountAsync($"SELECT count(*) FROM import_calls WHERE import_id = '{id}' AND state = 'done'"));
    }

    [Fact]
    public async Task CallsAlreadyImportedByAnotherBatch_AreToldSkipped()
    {
        var (store, first, customer) = await NewImportAsync(2);
        await store.CompleteCallAsync(first, Engagement(first, customer, "c0"), default);
        var second = "imp-" + Guid.NewGuid().ToString("N")[..8];
        await store.EnsureImportAsync(new ImportDefinition(second, customer, "grain", From, From.AddDays(30)), default);
        await store.RecordListedCallsAsync(second, [new ListedCall("c0", null, null), new ListedCall("c1", null, null)], default);

        var outcomes = await store.CompleteCallsAsync(second, [Engagement(second, customer, "c0"), Engagement(second, customer, "c1")], RunStatistics.Zero, default);

        Assert.Equal(new CallOutcome?[] { CallOutcome.Skipped, CallOutcome.Imported }, outcomes);
        Assert.Equal(first, await store.FindEngagementBatchAsync(customer, "grain", "c0", default));
    }
}
