using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Platforms.Gong;

/// <summary>
/// Gong calls through API v2 on the tenant's host. The listing (<c>GET /v2/calls</c>, 100 a page) makes
/// batches of its pages; the first call of a batch to be processed fetches details, parties and media URLs
/// for the whole batch in one <c>POST /v2/calls/extensive</c> and, when the transcript is wanted, every
/// transcript of the batch in one <c>POST /v2/calls/transcript</c>. So an import costs about three requests
/// per hundred calls, which keeps ten thousand calls inside Gong's 10,000 requests a day. Media URLs are
/// signed for 8 hours; one older than <see cref="MediaUrlMaxAge"/>, or one the storage host refused, is
/// asked for again (for that call alone) right before the download, which carries no Gong credentials.
/// </summary>
internal sealed class GongContext(Uri baseUrl, HttpClient http, ImportContextServices services) : IImportContext
{
    /// <summary>A cached media URL is used only this long after Gong signed it (it lives 8 h): margin for slow downloads and clock skew.</summary>
    internal static readonly TimeSpan MediaUrlMaxAge = TimeSpan.FromHours(1);

    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<GongContext>();
    private readonly GongCallBatches _batches = new();
    private readonly HashSet<string> _refusedMedia = new(StringComparer.Ordinal);

    public async Task ValidateCredentialsAsync(CancellationToken cancellationToken)
    {
        // The cheapest request Gong has: the calls of the last minute, normally none (a 404 "No calls found").
        var now = services.Time.GetUtcNow();
        const string what = "Gong credentials check (GET /v2/calls)";
        using var request = Request(HttpMethod.Get, ListPath(now.AddMinutes(-1), now, new GongListFilter(null, null), cursor: null), body: null);
        using var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound && !await IsNoCallsFoundAsync(response, cancellationToken))
            throw new CredentialsRejectedException(
                $"{what}: HTTP 404. The API address is wrong: set the credentials' '{PlatformCredentials.BaseUrlKey}' to your Gong API host (shown beside the access key, e.g. https://us-12345.api.gong.io).");
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            throw new CredentialsRejectedException(
                $"{what}: Gong refused the credentials (HTTP {(int)response.StatusCode}). Check accessKey/accessKeySecret (or accessToken) and that '{PlatformCredentials.BaseUrlKey}' is your tenant's own API host: other regions answer as if the key were revoked.");
        if (response.StatusCode != HttpStatusCode.NotFound) VendorResponses.EnsureSuccess(response, what);
    }

    public async IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = GongListFilter.From(query.Filters);
        var seenCursors = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        for (var page = 1; ; page++)
        {
            var what = $"Gong calls listing, page {page} (GET /v2/calls)";
            using var request = Request(HttpMethod.Get, ListPath(query.From, query.To, filter, cursor), body: null);
            var response = await SendForPageAsync(request, what, GongJson.Default.GongCallsResponse, cancellationToken);
            if (response is null) yield break; // "No calls found": nothing (more) in range

            // Gong's own range is trusted as is: web conferences are matched on their scheduled time, so a
            // call may start just outside [from, to) and still belong here (and nowhere else).
            var calls = (response.Calls ?? []).Where(c => !string.IsNullOrWhiteSpace(c.Id) && filter.Keeps(c)).ToList();
            var ids = calls.Select(c => c.Id!).Distinct(StringComparer.Ordinal).ToList();
            if (ids.Count > 0) _batches.Register(ids);
            foreach (var call in calls)
                yield return new CallReference(call.Id!, call.Started, new GongListingPayload(ids, call.IsPrivate == true).Write());

            cursor = string.IsNullOrWhiteSpace(response.Records?.Cursor) ? null : response.Records.Cursor;
            if (cursor is null) yield break;
            if (!seenCursors.Add(cursor))
            {
                _logger.LogWarning("Gong returned the cursor of page {Page} a second time; the listing ends there", page);
                yield break;
            }
        }
    }

    public async Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken)
    {
        var id = call.SourceCallId;
        try
        {
            if (GongListingPayload.Read(call.ListingPayload)?.IsPrivate == true) throw Private(id);
            var batch = _batches.For(id, call.ListingPayload);
            var details = await batch.DetailsAsync(ids => FetchDetailsAsync(ids, media: true, cancellationToken));
            var entry = Entry(details.Calls, id);
            if (entry.MetaData!.IsPrivate == true) throw Private(id);
            return GongCallMapping.ToSourceCall(id, entry);
        }
        catch (Exception e) when (e is CallSkippedException or PermanentCallException)
        {
            Ended(id);
            throw;
        }
    }

    /// <summary>Calls whose batch this context still holds (each call lets go when it ends).</summary>
    internal int HeldCalls => _batches.Count;

    /// <summary>
    /// The run is done with the call, e.g. out of attempts after transient failures before its transcript (a
    /// recording the storage host kept refusing): it lets go of its batch, which the rest of the batch had filled
    /// with every call's details and transcripts, instead of keeping it to the run's end.
    /// </summary>
    public void CallsPending(IReadOnlySet<string> sourceCallIds) => _batches.Pending(sourceCallIds);

    public void CallEnded(string sourceCallId)
    {
        Ended(sourceCallId);
        lock (_refusedMedia) _refusedMedia.Remove(sourceCallId);
    }

    /// <summary>
    /// The call ended before its transcript (skipped as private, or failed for good): it lets go of its batch
    /// now, else every batch with one such call (private calls are common) kept the details and transcripts
    /// of all its calls until the run ended: a whole 10,000-call import's worth by its end.
    /// </summary>
    private void Ended(string id) => _batches.Forget(id);

    public async Task<CallMedia?> OpenMediaAsync(SourceCall call, CancellationToken cancellationToken)
    {
        if (!call.ContextData.TryGetValue(GongCallMapping.MediaKindKey, out var kind)) return null;
        var id = call.SourceCallId;
        try
        {
            return await OpenRecordingAsync(id, kind, cancellationToken);
        }
        catch (PermanentCallException)
        {
            Ended(id);
            throw;
        }
    }

    private async Task<CallMedia?> OpenRecordingAsync(string id, string kind, CancellationToken cancellationToken)
    {
        var what = $"Gong recording of {id} ({kind}, signed URL)";
        var url = await CachedMediaUrlAsync(id, kind, cancellationToken);
        try
        {
            if (url is not null)
            {
                try
                {
                    return await OpenSignedAsync(url, what, kind, cancellationToken);
                }
                catch (MediaUrlExpiredException)
                {
                    // The cached URL was refused: ask Gong for a new one once, right now.
                    _logger.LogInformation("The signed media URL of call {CallId} was refused; asking Gong for a fresh one", id);
                }
            }
            return await OpenSignedAsync(await FreshMediaUrlAsync(id, kind, cancellationToken), what, kind, cancellationToken);
        }
        catch (MediaUrlExpiredException)
        {
            // Even a fresh URL was refused: the next attempt must not reuse the batch's URL either.
            lock (_refusedMedia) _refusedMedia.Add(id);
            throw;
        }
    }

    public async Task<Transcript?> FetchTranscriptAsync(SourceCall call, CancellationToken cancellationToken)
    {
        var id = call.SourceCallId;
        var batch = _batches.For(id, listingPayload: null);
        var transcripts = await batch.TranscriptsAsync(ids => FetchTranscriptsAsync(ids, cancellationToken));
        _batches.Forget(id); // the call's last fetch: a retry of it starts afresh
        if (!transcripts.TryGetValue(id, out var entry)) return null; // Gong has none: transcription is queued
        if (entry.Malformed is { } reason)
            throw new PermanentCallException($"Gong transcript of {id} (POST /v2/calls/transcript): malformed payload ({reason}).");
        return GongCallMapping.ToTranscript(entry.Value!, call.ContextData);
    }

    /// <summary>The batch's URL when it is young enough and was not refused before; null means "ask again".</summary>
    private async Task<string?> CachedMediaUrlAsync(string id, string kind, CancellationToken cancellationToken)
    {
        lock (_refusedMedia)
            if (_refusedMedia.Remove(id)) return null;
        var details = await _batches.For(id, listingPayload: null).DetailsAsync(ids => FetchDetailsAsync(ids, media: true, cancellationToken));
        if (services.Time.GetUtcNow() - details.FetchedAt > MediaUrlMaxAge) return null;
        return details.Calls.TryGetValue(id, out var entry) ? GongCallMapping.MediaUrl(entry.Value?.Media, kind) : null;
    }

    private async Task<string> FreshMediaUrlAsync(string id, string kind, CancellationToken cancellationToken)
    {
        var details = await FetchDetailsAsync([id], media: true, cancellationToken);
        var entry = Entry(details.Calls, id);
        return GongCallMapping.MediaUrl(entry.Media, kind)
               ?? throw new PermanentCallException($"Gong call {id} no longer offers its {kind} recording (POST /v2/calls/extensive).");
    }

    private static GongExtensiveCall Entry(IReadOnlyDictionary<string, GongBatchEntry<GongExtensiveCall>> calls, string id)
    {
        if (!calls.TryGetValue(id, out var entry))
            throw new PermanentCallException(
                $"Gong call {id} (POST /v2/calls/extensive): Gong returned no details for it (deleted since the listing, or not visible to this key).");
        if (entry.Malformed is { } reason)
            throw new PermanentCallException($"Gong call {id} (POST /v2/calls/extensive): malformed payload ({reason}).");
        return entry.Value!;
    }

    private static CallSkippedException Private(string id) =>
        new($"Gong marks call {id} private (isPrivate); private calls are not imported.");

    private async Task<GongBatchDetails> FetchDetailsAsync(IReadOnlyList<string> ids, bool media, CancellationToken cancellationToken)
    {
        var selector = new GongContentSelector(new GongExposedFields(Parties: true, Media: media));
        var calls = new Dictionary<string, GongBatchEntry<GongExtensiveCall>>(StringComparer.Ordinal);
        var fetchedAt = services.Time.GetUtcNow();
        await foreach (var page in PostPagesAsync(GongApi.ExtensivePath, ids, selector, GongJson.Default.GongExtensiveResponse, $"Gong details of {ids.Count} calls (POST /v2/calls/extensive)", r => r.Records, cancellationToken))
            GongBatchEntry<GongExtensiveCall>.AddFrom(page.Calls ?? [], r => GongBatchEntry<GongExtensiveCall>.Text(r, "metaData", "id"),
                c => c.MetaData is { Id.Length: > 0 }, GongJson.Default.GongExtensiveCall, calls);
        return new GongBatchDetails(calls, fetchedAt);
    }

    private async Task<IReadOnlyDictionary<string, GongBatchEntry<GongCallTranscript>>> FetchTranscriptsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var transcripts = new Dictionary<string, GongBatchEntry<GongCallTranscript>>(StringComparer.Ordinal);
        await foreach (var page in PostPagesAsync(GongApi.TranscriptPath, ids, null, GongJson.Default.GongTranscriptResponse, $"Gong transcripts of {ids.Count} calls (POST /v2/calls/transcript)", r => r.Records, cancellationToken))
            GongBatchEntry<GongCallTranscript>.AddFrom(page.CallTranscripts ?? [], r => GongBatchEntry<GongCallTranscript>.Text(r, "callId"),
                t => t.Transcript is not null, GongJson.Default.GongCallTranscript, transcripts);
        return transcripts;
    }

    /// <summary>Every page of a POST endpoint for these ids; the filter goes again with each cursor, as Gong wants.</summary>
    private async IAsyncEnumerable<T> PostPagesAsync<T>(string path, IReadOnlyList<string> ids, GongContentSelector? selector, JsonTypeInfo<T> type, string what,
        Func<T, GongRecords?> records, [EnumeratorCancellation] CancellationToken cancellationToken) where T : class
    {
        var seenCursors = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        for (var page = 1; ; page++)
        {
            using var request = Request(HttpMethod.Post, path, new GongCallsRequest(new GongCallsFilter(ids), selector, cursor));
            var response = await SendForPageAsync(request, page == 1 ? what : $"{what}, page {page}", type, cancellationToken);
            if (response is null) yield break;
            yield return response;
            cursor = records(response)?.Cursor is { Length: > 0 } next ? next : null;
            if (cursor is null || !seenCursors.Add(cursor)) yield break;
        }
    }

    /// <summary>
    /// A page, or null for Gong's "No calls found" 404 (an empty result, not an error). Read as it arrives: a
    /// batch's page of details or transcripts runs to megabytes, and buffering it whole put a large-object-heap
    /// buffer per page that only full collections free (~25 MiB of peak RSS over a 10,000-call import).
    /// </summary>
    private async Task<T?> SendForPageAsync<T>(HttpRequestMessage request, string what, JsonTypeInfo<T> type, CancellationToken cancellationToken) where T : class
    {
        using var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound && await IsNoCallsFoundAsync(response, cancellationToken)) return null;
        return await VendorResponses.ReadJsonAsync(response, what, type, cancellationToken);
    }

    private static async Task<bool> IsNoCallsFoundAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            var error = await JsonSerializer.DeserializeAsync(body, GongJson.Default.GongErrorBody, cancellationToken);
            return error?.Errors?.Any(e => e.Contains(GongApi.NoCallsFound, StringComparison.OrdinalIgnoreCase)) == true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private async Task<CallMedia> OpenSignedAsync(string url, string what, string kind, CancellationToken cancellationToken) =>
        await MediaDownload.OpenAsync(http, new Uri(url), MediaHost.Presigned, what,
            kind == "audio" ? ".mp3" : ".mp4", kind == "audio" ? "audio/mpeg" : "video/mp4", cancellationToken: cancellationToken);

    private static string ListPath(DateTimeOffset from, DateTimeOffset to, GongListFilter filter, string? cursor)
    {
        var path = new StringBuilder(GongApi.CallsPath)
            .Append("?fromDateTime=").Append(Uri.EscapeDataString(GongApi.Format(from)))
            .Append("&toDateTime=").Append(Uri.EscapeDataString(GongApi.Format(to)));
        if (filter.WorkspaceId is { } workspace) path.Append("&workspaceId=").Append(Uri.EscapeDataString(workspace));
        if (cursor is not null) path.Append("&cursor=").Append(Uri.EscapeDataString(cursor));
        return path.ToString();
    }

    /// <summary>Gong's auth (Basic key:secret or OAuth Bearer) is added by the HTTP pipeline's authenticator.</summary>
    private HttpRequestMessage Request(HttpMethod method, string pathAndQuery, object? body)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUrl, pathAndQuery));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
            // A string body, unlike a streamed one, can be sent again by the retrying HTTP pipeline.
            request.Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), GongJson.Default), Encoding.UTF8, "application/json");
        return request;
    }
}
