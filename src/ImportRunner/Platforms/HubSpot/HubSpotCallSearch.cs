using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>
/// Every call in [from, to) through <c>POST /crm/v3/objects/calls/search</c>, filtered on <c>hs_timestamp</c> and
/// sorted by it ascending (one sort rule). HubSpot serves at most 10,000 results per query (HTTP 400 beyond), so
/// before a query's next page would pass that cap the search starts a new query from the last timestamp read
/// (GTE, the range narrowed from below): calls at that very millisecond are read again and dropped by id. The
/// search index is eventually consistent; ascending order keeps calls logged during the import at the end, where
/// they do not shift the pages already read.
/// </summary>
internal sealed class HubSpotCallSearch(HubSpotClient client, ILogger logger, int pageSize = HubSpotApi.SearchPageSize)
{
    public async IAsyncEnumerable<(string Id, DateTimeOffset? StartedAt, IReadOnlyList<string> Page)> ListAsync(
        CallQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filters = HubSpotListFilter.Filters(query.Filters);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var from = query.From;
        for (var narrowing = 0; ; narrowing++)
        {
            string? after = null;
            var read = 0;
            DateTimeOffset? last = null;
            for (var page = 1; ; page++)
            {
                var what = $"HubSpot call search from {HubSpotApi.Millis(from)}, page {page} (POST /{HubSpotApi.SearchPath})";
                var body = new HubSpotSearchRequest(
                    [new HubSpotFilterGroup([
                        new HubSpotFilter(HubSpotApi.Timestamp, "GTE", HubSpotApi.Millis(from)),
                        new HubSpotFilter(HubSpotApi.Timestamp, "LT", HubSpotApi.Millis(query.To)),
                        .. filters])],
                    [new HubSpotSort(HubSpotApi.Timestamp, "ASCENDING")],
                    [HubSpotApi.Timestamp], pageSize, after);
                using var request = client.Request(HttpMethod.Post, HubSpotApi.SearchPath, body);
                var response = await client.SendForJsonAsync(request, what, HubSpotJson.Default.HubSpotSearchResponse, cancellationToken);
                if (page == 1 && narrowing == 0)
                    logger.LogInformation("HubSpot counts {Total} calls in the range", response.Total);

                var listed = new List<(string Id, DateTimeOffset? StartedAt)>();
                foreach (var result in response.Results ?? [])
                {
                    if (Listed(result) is not var (id, start)) continue;
                    read++;
                    if (start is { } s) last = last is { } l && l > s ? l : s;
                    if (seen.Add(id)) listed.Add((id, start));
                }
                foreach (var chunk in listed.Chunk(HubSpotApi.BatchSize))
                {
                    IReadOnlyList<string> ids = [.. chunk.Select(c => c.Id)];
                    foreach (var (id, start) in chunk) yield return (id, start, ids);
                }

                after = response.Paging?.Next?.After;
                if (string.IsNullOrEmpty(after)) yield break;
                if (read + pageSize > HubSpotApi.SearchResultCap) break;
            }
            // The cap is near: a new query from the last timestamp read.
            if (last is not { } next || next <= from)
                throw new PermanentCallException(
                    $"HubSpot call search: more than {HubSpotApi.SearchResultCap - pageSize} calls share the timestamp {HubSpotApi.Millis(from)}; the search cannot page past them.");
            logger.LogInformation("HubSpot search read {Read} calls of one query (its cap is {Cap}); searching on from {From}", read, HubSpotApi.SearchResultCap, next);
            from = next;
        }
    }

    /// <summary>Id and <c>hs_timestamp</c> read leniently: a result without an id is skipped, one without a readable time is listed without it.</summary>
    private static (string Id, DateTimeOffset? Start)? Listed(JsonElement result)
    {
        if (result.ValueKind != JsonValueKind.Object || !result.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String
            || id.GetString() is not { Length: > 0 } text)
            return null;
        DateTimeOffset? start = null;
        if (result.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty(HubSpotApi.Timestamp, out var timestamp) && timestamp.ValueKind == JsonValueKind.String)
            start = HubSpotApi.ParseTime(timestamp.GetString());
        return (text, start);
    }
}
