using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Platforms.Grain;

/// <summary>
/// Grain's recordings through its public API v2: a body-cursor listing, a detail request with
/// participants, and the JSON transcript. Grain v2 has no media download, so calls carry no media.
/// The bearer token is added by the HTTP pipeline (<see cref="GrainContextFactory.CreateAuthenticator"/>).
/// </summary>
internal sealed class GrainContext(Uri baseUrl, HttpClient http, ImportContextServices services) : IImportContext
{
    /// <summary>
    /// Empty pages that still carry a cursor are followed at most this many times in a row. Grain has
    /// been seen to end a listing with an empty page and a cursor instead of a null cursor, and an empty
    /// page in the middle must not cut the listing short; past this bound the listing counts as finished.
    /// </summary>
    internal const int MaxEmptyPagesInARow = 5;

    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<GrainContext>();

    public void ValidateQuery(CallQuery query) => GrainListFilter.Validate(query.Filters);

    public async Task ValidateCredentialsAsync(CancellationToken cancellationToken)
    {
        // The cheapest request Grain has: a listing of the last minute, which is normally empty.
        var now = services.Time.GetUtcNow();
        var filter = GrainListFilter.For(new CallQuery(now.AddMinutes(-1), now, new Dictionary<string, string>()));
        const string what = "Grain credentials check (POST v2/recordings)";
        using var request = Request(HttpMethod.Post, GrainApi.RecordingsPath, new GrainListRequest(null, filter));
        using var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new CredentialsRejectedException(
                $"{what}: HTTP 404. The API address is wrong: check the credentials' '{PlatformCredentials.BaseUrlKey}' (or remove it to use {GrainApi.DefaultBaseUrl}).");
        VendorResponses.EnsureSuccess(response, what);
    }

    public async IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = GrainListFilter.For(query);
        var seenCursors = new HashSet<string>(StringComparer.Ordinal);
        string? cursor = null;
        var emptyPagesInARow = 0;
        for (var page = 1; ; page++)
        {
            var what = $"Grain recordings listing, page {page} (POST v2/recordings)";
            using var request = Request(HttpMethod.Post, GrainApi.RecordingsPath, new GrainListRequest(cursor, filter));
            var response = await VendorResponses.SendForJsonAsync(http, request, what, GrainJson.Default.GrainListResponse, cancellationToken);

            var recordings = response.Recordings ?? [];
            foreach (var recording in recordings)
            {
                if (string.IsNullOrWhiteSpace(recording.Id)) continue;
                // The range is half-open whatever Grain's own bounds are inclusive of.
                if (recording.StartDatetime is { } start && (start < query.From || start >= query.To)) continue;
                yield return new CallReference(recording.Id, recording.StartDatetime);
            }

            emptyPagesInARow = recordings.Count == 0 ? emptyPagesInARow + 1 : 0;
            cursor = string.IsNullOrWhiteSpace(response.Cursor) ? null : response.Cursor;
            if (cursor is null) yield break;
            if (!seenCursors.Add(cursor))
            {
                _logger.LogWarning("Grain returned cursor of page {Page} a second time; the listing ends there", page);
                yield break;
            }
            if (emptyPagesInARow >= MaxEmptyPagesInARow)
            {
                _logger.LogWarning("Grain returned {EmptyPages} empty pages in a row, each with a cursor; the listing ends at page {Page}", emptyPagesInARow, page);
                yield break;
            }
        }
    }

    public async Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken)
    {
        var what = $"Grain recording {call.SourceCallId} (POST v2/recordings/{{id}})";
        using var request = Request(HttpMethod.Post, GrainApi.RecordingPath(call.SourceCallId), new GrainDetailRequest(new GrainInclude(Participants: true)));
        var recording = await VendorResponses.SendForJsonAsync(http, request, what, GrainJson.Default.GrainRecording, cancellationToken);
        return GrainCallMapping.ToSourceCall(call.SourceCallId, recording);
    }

    /// <summary>Grain v2 offers no recording download, only the web page (<see cref="SourceCall.WebUrl"/>).</summary>
    public Task<CallMedia?> OpenMediaAsync(SourceCall call, CancellationToken cancellationToken) => Task.FromResult<CallMedia?>(null);

    public async Task<Transcript?> FetchTranscriptAsync(SourceCall call, CancellationToken cancellationToken)
    {
        var what = $"Grain transcript of {call.SourceCallId} (GET v2/recordings/{{id}}/transcript)";
        using var request = Request(HttpMethod.Get, GrainApi.TranscriptPath(call.SourceCallId), body: null);
        var sections = await VendorResponses.SendForJsonAsync(http, request, what, GrainJson.Default.ListGrainTranscriptSection, cancellationToken);
        return GrainCallMapping.ToTranscript(sections);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, object? body)
    {
        var request = new HttpRequestMessage(method, new Uri(baseUrl, path));
        request.Headers.Add(GrainApi.ApiVersionHeader, GrainApi.ApiVersion);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
            // A string body, unlike a streamed one, can be sent again by the retrying HTTP pipeline.
            request.Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), GrainJson.Default), Encoding.UTF8, "application/json");
        return request;
    }
}
