using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Platforms.Dialpad;

/// <summary>
/// Dialpad calls through API v2: the company's call listing (concluded calls, newest first, cursor paging) carries
/// each call whole, so get-call (limited to 10 a minute) is asked only when the listed record lacks its start or
/// its recording; recordings from <c>recording_details[].url</c>; transcripts from <c>/transcripts/{id}</c>.
/// The bearer key is added by the HTTP pipeline.
/// </summary>
internal sealed class DialpadContext(Uri baseUrl, HttpClient http, ImportContextServices services) : IImportContext
{
    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<DialpadContext>();
    /// <summary>Calls whose listed recording URL was already tried: a second download asks get-call for a fresh one.</summary>
    private readonly ConcurrentDictionary<string, bool> _usedListedUrl = new(StringComparer.Ordinal);

    public async Task ValidateCredentialsAsync(CancellationToken cancellationToken)
    {
        // The cheapest request: calls of the last minute, normally none.
        var now = services.Time.GetUtcNow();
        const string what = "Dialpad credentials check (GET call)";
        using var request = Request(HttpMethod.Get, $"{DialpadApi.CallsPath}?{DialpadListFilter.QueryString(new CallQuery(now.AddMinutes(-1), now, new Dictionary<string, string>()), null)}");
        using var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new CredentialsRejectedException(
                $"{what}: HTTP 404. The API address is wrong: check the credentials' '{PlatformCredentials.BaseUrlKey}' (or remove it to use {DialpadApi.DefaultBaseUrl}).");
        VendorResponses.EnsureSuccess(response, what);
    }

    public async IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        DialpadListFilter.Validate(query.Filters);
        var seenCursors = new HashSet<string>(StringComparer.Ordinal);
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        for (var page = 1; ; page++)
        {
            var what = $"Dialpad call listing, page {page} (GET call)";
            using var request = Request(HttpMethod.Get, $"{DialpadApi.CallsPath}?{DialpadListFilter.QueryString(query, cursor)}");
            var response = await VendorResponses.SendForJsonAsync(http, request, what, DialpadJson.Default.DialpadCallsPage, cancellationToken);
            foreach (var item in response.Items ?? [])
            {
                if (Listed(item) is not var (id, start) || !seenIds.Add(id)) continue;
                if (start is { } s && (s < query.From || s >= query.To)) continue;
                yield return new CallReference(id, start, item.GetRawText());
            }
            cursor = string.IsNullOrWhiteSpace(response.Cursor) ? null : response.Cursor;
            if (cursor is null) yield break;
            if (!seenCursors.Add(cursor))
            {
                _logger.LogWarning("Dialpad returned the cursor of page {Page} a second time; the listing ends there", page);
                yield break;
            }
        }
    }

    /// <summary>Id and start read leniently (ms as a number or a string); an unreadable start lists the call without one.</summary>
    private static (string Id, DateTimeOffset? Start)? Listed(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("call_id", out var idElement)) return null;
        var id = idElement.ValueKind switch
        {
            JsonValueKind.Number or JsonValueKind.String => idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : idElement.GetRawText(),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(id)) return null;
        DateTimeOffset? start = null;
        if (item.TryGetProperty("date_started", out var started))
        {
            long ms = 0;
            var ok = started.ValueKind switch
            {
                JsonValueKind.Number => started.TryGetInt64(out ms),
                JsonValueKind.String => long.TryParse(started.GetString(), System.Globalization.CultureInfo.InvariantCulture, out ms),
                _ => false,
            };
            if (ok) start = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }
        return (id, start);
    }

    public async Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken)
    {
        var listed = call.ListingPayload is null ? null : Parse(call.ListingPayload, $"Dialpad call {call.SourceCallId} (from GET call)");
        var record = listed is null || DialpadCallMapping.NeedsDetail(listed) ? await GetCallAsync(call.SourceCallId, cancellationToken) : listed;
        if (DialpadCallMapping.StartOf(record) is null)
            throw new PermanentCallException($"Dialpad call {call.SourceCallId}: malformed payload (no date_started).");
        return DialpadCallMapping.ToSourceCall(call.SourceCallId, record);
    }

    private async Task<DialpadCall> GetCallAsync(string callId, CancellationToken cancellationToken)
    {
        var what = $"Dialpad call {callId} (GET call/{{id}})";
        using var request = Request(HttpMethod.Get, DialpadApi.CallPath(callId));
        using var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        VendorResponses.EnsureSuccess(response, what);
        return Parse(await response.Content.ReadAsStringAsync(cancellationToken), what);
    }

    private static DialpadCall Parse(string json, string what)
    {
        try
        {
            return JsonSerializer.Deserialize(json, DialpadJson.Default.DialpadCall) ?? throw new PermanentCallException($"{what}: malformed payload (empty JSON).");
        }
        catch (JsonException e)
        {
            throw new PermanentCallException($"{what}: malformed payload ({e.Path ?? "$"}).");
        }
    }

    public async Task<CallMedia?> OpenMediaAsync(SourceCall call, CancellationToken cancellationToken)
    {
        var location = call.MediaLocation;
        // The listed URL is used once; when it was refused, get-call gives a fresh one.
        if (location is not null && !_usedListedUrl.TryAdd(call.SourceCallId, true))
            location = DialpadCallMapping.Recording(await GetCallAsync(call.SourceCallId, cancellationToken))?.Url;
        if (location is null) return null;
        if (!Uri.TryCreate(baseUrl, location, out var url))
            throw new PermanentCallException($"Dialpad recording of {call.SourceCallId}: malformed payload (recording url).");
        // Recording URLs on Dialpad's own host take the key; others are treated as signed links.
        var host = url.Host == baseUrl.Host ? MediaHost.VendorHosted : MediaHost.Presigned;
        return await MediaDownload.OpenAsync(http, url, host, $"Dialpad recording of {call.SourceCallId}", ".mp3", "audio/mpeg",
            host == MediaHost.VendorHosted ? [DialpadContextFactory.OverallGroup] : null, cancellationToken);
    }

    public async Task<Transcript?> FetchTranscriptAsync(SourceCall call, CancellationToken cancellationToken)
    {
        var what = $"Dialpad transcript of {call.SourceCallId} (GET transcripts/{{id}})";
        using var request = Request(HttpMethod.Get, DialpadApi.TranscriptPath(call.SourceCallId));
        using var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound) return null; // no Dialpad Ai transcript for this call
        var transcript = await VendorResponses.ReadJsonAsync(response, what, DialpadJson.Default.DialpadTranscript, cancellationToken);
        return DialpadCallMapping.ToTranscript(transcript, call.StartedAt);
    }

    private HttpRequestMessage Request(HttpMethod method, string pathAndQuery)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUrl, pathAndQuery));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }
}
