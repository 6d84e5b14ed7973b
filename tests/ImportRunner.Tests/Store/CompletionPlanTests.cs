using System.Globalization;
using System.Text.Json;
using CallImport.Store;

namespace CallImport.ImportRunner.Tests.Store;

/// <summary>
/// The group commit's statement as runners execute it — prepared, with a generic plan made while the tables were
/// empty and never analysed (a fresh import) — touches only the rows of its calls once the tables have grown:
/// every read of engagements and import_calls is a probe of a unique index on the whole key.
/// </summary>
public sealed class CompletionPlanTests(ImportDatabase database) : IClassFixture<ImportDatabase>
{
    private const int Calls = 64;
    private const string ParameterTypes =
        "text, text, text, text[], text[], timestamptz[], integer[], jsonb[], text[], jsonb[], text[], timestamptz, text, bigint, bigint, bigint, bigint, bigint";

    [Fact]
    public async Task GenericPlanMadeOnEmptyUnanalysedTables_ProbesByKey_OnceTheTablesHaveGrown()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Task<string> RunAsync(string sql) => ScalarAsync(connection, sql);
        await RunAsync("""
            ALTER TABLE engagements SET (autovacuum_enabled = false);
            ALTER TABLE import_calls SET (autovacuum_enabled = false);
            SET plan_cache_mode = force_generic_plan;
            INSERT INTO imports (import_id, customer_id, platform, date_from, date_to) VALUES ('plan', 'plan-customer', 'grain', now(), now())
            """);
        await RunAsync($"PREPARE complete ({ParameterTypes}) AS {ImportStore.CompleteCallsSql}");
        // The first execution makes the generic plan, on empty tables; it is kept for the connection.
        await RunAsync($"EXECUTE complete({Arguments(["first"])})");

        // The import grows (listed calls, engagements of other customers and of this one) without an ANALYZE.
        await RunAsync("""
            INSERT INTO import_calls (import_id, source_call_id) SELECT 'plan', 'c' || g FROM generate_series(0, 19999) g;
            INSERT INTO engagements (customer_id, import_source, source_call_id, import_batch_id, metadata_quality)
            SELECT 'someone-else', 'grain', 'c' || g, 'old', 'full' FROM generate_series(0, 19999) g;
            INSERT INTO engagements (customer_id, import_source, source_call_id, import_batch_id, metadata_quality)
            SELECT 'plan-customer', 'grain', 'c' || g, 'old', 'full' FROM generate_series(0, 19999, 2) g
            """);
        var plan = await RunAsync($"EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE complete({Arguments([.. Enumerable.Range(100, Calls).Select(i => $"c{i}")])})");

        var scans = Scans(JsonDocument.Parse(plan).RootElement[0].GetProperty("Plan"))
            .Where(s => s.Relation is "engagements" or "import_calls").ToList();
        Assert.NotEmpty(scans);
        Assert.All(scans, s =>
        {
            Assert.True(s.Type is "Index Scan" or "Index Only Scan", $"{s.Type} on {s.Relation}: a scan, not a probe by key");
            Assert.Contains("source_call_id =", s.IndexCondition, StringComparison.Ordinal);
            Assert.Contains(s.Relation == "import_calls" ? "import_id =" : "customer_id =", s.IndexCondition, StringComparison.Ordinal);
            Assert.True(s.RowsPerLoop <= 1, $"{s.Type} on {s.Relation} read {s.RowsPerLoop} rows per probe");
            Assert.Equal(0, s.RowsRemovedByFilter);
        });
        Assert.Equal(Calls, await database.CountAsync("SELECT count(*) FROM import_calls WHERE import_id = 'plan' AND state = 'done'"));
        Assert.Equal(Calls / 2, await database.CountAsync("SELECT count(*) FROM import_calls WHERE import_id = 'plan' AND outcome = 'skipped'"));
    }

    /// <summary>
    /// Completing a call changes only columns no index names, so PostgreSQL updates its row in place (heap-only):
    /// no new index entry per call, and room for the new version on the row's page (listed rows leave half free).
    /// </summary>
    [Fact]
    public async Task CompletingListedCalls_UpdatesEachRowHeapOnly_AddingNoIndexEntry()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        Task<string> RunAsync(string sql) => ScalarAsync(connection, sql);
        await RunAsync("""
            INSERT INTO imports (import_id, customer_id, platform, date_from, date_to) VALUES ('in-place', 'in-place-customer', 'grain', now(), now());
            INSERT INTO import_calls (import_id, source_call_id, listing_payload) SELECT 'in-place', 'c' || g, repeat('x', 240) FROM generate_series(0, 999) g
            """);
        await RunAsync($"PREPARE complete_in_place ({ParameterTypes}) AS {ImportStore.CompleteCallsSql}");

        // pg_stat_xact_user_tables counts this transaction's own updates, as they happen.
        await RunAsync("BEGIN");
        foreach (var batch in Enumerable.Range(0, 1000).Chunk(Calls))
            await RunAsync($"EXECUTE complete_in_place({Arguments([.. batch.Select(i => $"c{i}")], "in-place", "in-place-customer")})");
        var updates = await RunAsync("SELECT n_tup_upd || '/' || n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'import_calls'");
        await RunAsync("COMMIT");

        Assert.Equal("1000/1000", updates);
        Assert.Equal(1000, await database.CountAsync("SELECT count(*) FROM import_calls WHERE import_id = 'in-place' AND state = 'done'"));
    }

    /// <summary>Runs <paramref name="sql"/> on this one connection (its prepared statements and settings are the connection's).</summary>
    private static async Task<string> ScalarAsync(Npgsql.NpgsqlConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }

    private sealed record Scan(string Type, string Relation, string IndexCondition, double RowsPerLoop, double RowsRemovedByFilter);

    private static IEnumerable<Scan> Scans(JsonElement node)
    {
        if (node.TryGetProperty("Relation Name", out var relation) && node.GetProperty("Node Type").GetString() != "ModifyTable")
        {
            yield return new Scan(node.GetProperty("Node Type").GetString()!, relation.GetString()!,
                node.TryGetProperty("Index Cond", out var condition) ? condition.GetString()! : "",
                node.GetProperty("Actual Rows").GetDouble(),
                node.TryGetProperty("Rows Removed by Filter", out var removed) ? removed.GetDouble() : 0);
        }
        if (!node.TryGetProperty("Plans", out var children)) yield break;
        foreach (var child in children.EnumerateArray())
            foreach (var scan in Scans(child))
                yield return scan;
    }

    /// <summary>The statement's arguments as SQL literals: the import's values, then one array element per call.</summary>
    private static string Arguments(IReadOnlyList<string> callIds, string importId = "plan", string customer = "plan-customer")
    {
        string Array(string type, Func<string, string> element) => $"ARRAY[{string.Join(", ", callIds.Select(element))}]::{type}[]";
        return string.Join(", ",
            $"'{customer}'", "'grain'", $"'{importId}'",
            Array("text", id => $"'{id}'"), Array("text", id => $"'Call {id}'"), Array("timestamptz", _ => "'2026-01-01T00:00:00Z'"),
            Array("integer", id => id.Length.ToString(CultureInfo.InvariantCulture)), Array("jsonb", _ => "'[]'"), Array("text", _ => "NULL"),
            Array("jsonb", _ => "NULL"), Array("text", _ => "'partial'"), "now()", $"'{importId}'", "1", "0", "0", "0", "1");
    }
}
