using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Platforms.Fathom;

/// <summary>
/// Fathom meetings through its external API v1: one cursor listing that carries every meeting whole, transcript
/// included (<c>include_transcript=true</c>), so a call normally costs a fraction of one request. Fathom has no
/// single-meeting GET and no media download: metadata and transcript come from the listing's item (kept in the
/// call's reference), <c>GET /recordings/{id}/transcript</c> only when the item came without one.
/// The <c>X-Api-Key</c> header is added by the HTTP pipeline (<see cref="FathomContextFactory.CreateAuthenticator"/>).
/// </summary>
internal sealed class FathomContext(Uri baseUrl, HttpClient http, ImportContextServices services) : IImportContext
{
    /// <summary>ContextData key: the listing item's transcript as raw JSON (absent: fetch it).</summary>
    internal const string InlineTranscriptKey = "fathomTranscript";

    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<FathomContext>();

    public async Task ValidateCredentialsAsync(CancellationToken cancellationToken)
    {
        // The cheapest request Fathom has: meetings created in the last minute, normally none.
        var now = services.Time.GetUtcNow();
        const string what = "Fathom credentials check (GET meetings)";
        using var request = Request($"{FathomApi.MeetingsPath}?created_after={FathomListFilter.Format(now.AddMinutes(-1))}");
        using var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new CredentialsRejectedException(
                $"{what}: HTTP 404. The API address is wrong: check the credentials' '{PlatformCredentials.BaseUrlKey}' (or remove it to use {FathomApi.DefaultBaseUrl}).");
        VendorResponses.EnsureSuccess(response, what);
    }

    public async IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        FathomListFilter.Validate(query.Filters);
        var seenCursors = new HashSet<string>(StringComparer.Ordinal);
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        for (var page = 1; ; page++)
        {
            var what = $"Fathom meetings listing, page {page} (GET meetings)";
            using var request = Request($"{FathomApi.MeetingsPath}?{FathomListFilter.QueryString(query, cursor, includeTranscript: true)}");
            var response = await VendorResponses.SendForJsonAsync(http, request, what, FathomJson.Default.FathomMeetingsPage, cancellationToken);

            foreach (var item in response.Items ?? [])
            {
                if (Listed(item) is not var (id, start) || !seenIds.Add(id)) continue;
                // The listing is by created_at over a wider range; the import's range is on the recording's start, half-open.
                if (start is { } s && (s < query.From || s >= query.To)) continue;
                yield return new CallReference(id, start, item.GetRawText());
            }

            cursor = string.IsNullOrWhiteSpace(response.NextCursor) ? null : response.NextCursor;
            if (cursor is null) yield break;
            if (!seenCursors.Add(cursor))
            {
                _logger.LogWarning("Fathom returned the cursor of page {Page} a second time; the listing ends there", page);
                yield break;
            }
        }
    }

    /// <summary>
    /// The item's id and start, read leniently: an item with an id but a start that does not parse is still listed
    /// (with no start), so that it fails alone with its reason when fetched instead of vanishing.
    /// </summary>
    private static (string Id, DateTimeOffset? Start)? Listed(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("recording_id", out var idElement)) return null;
        var id = idElement.ValueKind switch
        {
            JsonValueKind.Number => idElement.GetRawText(),
            JsonValueKind.String => idElement.GetString(),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(id)) return null;
        DateTimeOffset? start = null;
        foreach (var name in (string[])["recording_start_time", "scheduled_start_time"])
            if (item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var parsed))
            {
                start = parsed;
                break;
            }
        return (id, start);
    }

    public Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken)
    {
        var what = $"Fathom meeting {call.SourceCallId} (from GET meetings)";
        if (call.ListingPayload is null)
            throw new PermanentCallException($"{what}: the listing's item was not kept; Fathom has no single-meeting request. List the range again.");
        FathomMeeting meeting;
        try
        {
            meeting = JsonSerializer.Deserialize(call.ListingPayload, FathomJson.Default.FathomMeeting)
                ?? throw new PermanentCallException($"{what}: malformed payload (empty JSON).");
        }
        catch (JsonException e)
        {
            throw new PermanentCallException($"{what}: malformed payload ({e.Path ?? "$"}).");
        }
        if (FathomCallMapping.StartOf(meeting) is null)
            throw new PermanentCallException($"{what}: malformed payload (no recording_start_time or scheduled_start_time).");

        var source = FathomCallMapping.ToSourceCall(call.SourceCallId, meeting);
        if (meeting.Transcript is { } transcript)
            source = source with
            {
                ContextData = new Dictionary<string, string> { [InlineTranscriptKey] = JsonSerializer.Serialize(transcript, FathomJson.Default.IReadOnlyListFathomTranscriptItem) },
            };
        return Task.FromResult(source);
    }

    /// <summary>Fathom's API offers no recording download, only the meeting's web page (<see cref="SourceCall.WebUrl"/>).</summary>
    public Task<CallMedia?> OpenMediaAsync(SourceCall call, CancellationToken cancellationToken) => Task.FromResult<CallMedia?>(null);

    public async Task<Transcript?> FetchTranscriptAsync(SourceCall call, CancellationToken cancellationToken)
    {
        if (call.ContextData.TryGetValue(InlineTranscriptKey, out var inline))
        {
            var inlineItems = JsonSerializer.Deserialize(inline, FathomJson.Default.ListFathomTranscriptItem) ?? [];
            return FathomCallMapping.ToTranscript(inlineItems, $"Fathom transcript of {call.SourceCallId} (in GET meetings)");
        }

        var what = $"Fathom transcript of {call.SourceCallId} (GET recordings/{{id}}/transcript)";
        using var request = Request(FathomApi.TranscriptPath(call.SourceCallId));
        using var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        // No transcript (yet) for this recording: a transcription request is queued instead.
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        var body = await VendorResponses.ReadJsonAsync(response, what, FathomJson.Default.FathomTranscriptResponse, cancellationToken);
        return FathomCallMapping.ToTranscript(body.Transcript ?? [], what);
    }

    private HttpRequestMessage Request(string pathAndQuery)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, pathAndQuery));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }
}
