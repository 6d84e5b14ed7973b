using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Platforms.Fireflies;

/// <summary>
/// Fireflies meetings through its GraphQL API: <c>transcripts(fromDate, toDate, limit, skip)</c> lists ids and starts,
/// 50 a page (offset paging, newest first, ends on a short page); one <c>transcript(id)</c> per call brings its
/// metadata, participants, sentences and the pre-signed <c>audio_url</c>, which is downloaded without auth and read
/// again when it is older than <see cref="FreshFor"/> or was refused. The bearer key is added by the HTTP pipeline.
/// </summary>
internal sealed class FirefliesContext : IImportContext
{
    /// <summary>ContextData keys: the meeting's sentences (JSON) and when its audio_url was read (epoch ms).</summary>
    internal const string SentencesKey = "firefliesSentences";
    internal const string AudioReadAtKey = "firefliesAudioReadAt";

    /// <summary>An audio_url read longer ago than this is read again before the download.</summary>
    internal static readonly TimeSpan FreshFor = TimeSpan.FromMinutes(1);

    private readonly HttpClient _http;
    private readonly ImportContextServices _services;
    private readonly int _pageSize;
    private readonly FirefliesGraphQL _graphql;
    private readonly ILogger _logger;
    /// <summary>Calls whose first audio_url was already handed out: the next open (after a refusal) reads a fresh one.</summary>
    private readonly ConcurrentDictionary<string, bool> _audioUsed = new(StringComparer.Ordinal);
    private volatile bool _audioRefusedByPlan;

    public FirefliesContext(Uri baseUrl, HttpClient http, ImportContextServices services, int pageSize = FirefliesApi.MaxPageSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(pageSize, FirefliesApi.MaxPageSize);
        (_http, _services, _pageSize) = (http, services, pageSize);
        _graphql = new FirefliesGraphQL(new Uri(baseUrl, FirefliesApi.GraphQLPath), http, services.Time);
        _logger = services.LoggerFactory.CreateLogger<FirefliesContext>();
    }

    public void ValidateQuery(CallQuery query) => FirefliesListFilter.Validate(query.Filters);

    public async Task ValidateCredentialsAsync(CancellationToken cancellationToken) =>
        await _graphql.QueryAsync(FirefliesQueries.User, new Dictionary<string, object?>(), FirefliesJson.Default.GraphQLResponseFirefliesUserData, "Fireflies credentials check (query user)", cancellationToken);

    public async IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        FirefliesListFilter.Validate(query.Filters);
        var document = FirefliesQueries.Transcripts(FirefliesListFilter.Arguments(query.Filters));
        var seenIds = new HashSet<string>(StringComparer.Ordinal);
        for (int page = 1, skip = 0; ; page++)
        {
            var what = $"Fireflies meeting listing, page {page} (query transcripts)";
            var answer = await _graphql.QueryAsync(document, FirefliesListFilter.Variables(query, _pageSize, skip), FirefliesJson.Default.GraphQLResponseFirefliesTranscriptsData, what, cancellationToken);
            var items = answer.Data?.Transcripts ?? [];
            var fresh = 0;
            foreach (var item in items)
            {
                if (Listed(item) is not var (id, start) || !seenIds.Add(id)) continue;
                fresh++;
                // Fireflies' range is on the meeting's date; the import's range is half-open.
                if (start is { } s && (s < query.From || s >= query.To)) continue;
                yield return new CallReference(id, start);
            }
            // Offset paging has no total and no cursor: a short page is the last one.
            if (items.Count < _pageSize) yield break;
            if (fresh == 0)
            {
                _logger.LogWarning("Fireflies returned page {Page} with only meetings already listed; the listing ends there", page);
                yield break;
            }
            skip += items.Count;
        }
    }

    /// <summary>Id and start read leniently: an item with an id but no readable date is listed without one and fails alone when fetched.</summary>
    private static (string Id, DateTimeOffset? Start)? Listed(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("id", out var idElement)) return null;
        var id = idElement.ValueKind switch
        {
            JsonValueKind.String => idElement.GetString(),
            JsonValueKind.Number => idElement.GetRawText(),
            _ => null,
        };
        if (string.IsNullOrWhiteSpace(id)) return null;
        DateTimeOffset? start = null;
        if (item.TryGetProperty("date", out var date) && date.ValueKind == JsonValueKind.Number && date.TryGetDouble(out var ms))
            start = FirefliesCallMapping.StartOf(new FirefliesTranscript(id, null, ms, null, null, null, null, null, null, null, null));
        return (id, start);
    }

    public async Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken)
    {
        var what = $"Fireflies meeting {call.SourceCallId} (query transcript)";
        var meeting = await TranscriptAsync(call.SourceCallId, what, cancellationToken)
            ?? throw new PermanentCallException($"{what}: Fireflies has no such meeting any more.");
        if (FirefliesCallMapping.StartOf(meeting) is null)
            throw new PermanentCallException($"{what}: malformed payload (no date).");
        if (FirefliesCallMapping.IsProcessing(meeting))
            throw new CallNotReadyException($"{what}: Fireflies is still processing the meeting (summary_status '{meeting.MeetingInfo?.SummaryStatus}').");

        var source = FirefliesCallMapping.ToSourceCall(call.SourceCallId, meeting);
        var data = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [AudioReadAtKey] = _services.Time.GetUtcNow().ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
        };
        if (meeting.Sentences is { Count: > 0 } sentences) data[SentencesKey] = JsonSerializer.Serialize(sentences, FirefliesJson.Default.IReadOnlyListFirefliesSentence);
        _audioUsed.TryRemove(call.SourceCallId, out _);
        return source with { ContextData = data };
    }

    /// <summary>
    /// The meeting's detail. Free plans may not read <c>audio_url</c> (<c>paid_required</c>): once Fireflies says so,
    /// the rest of the run asks without it and imports calls without media.
    /// </summary>
    private async Task<FirefliesTranscript?> TranscriptAsync(string id, string what, CancellationToken cancellationToken)
    {
        var variables = new Dictionary<string, object?> { ["id"] = id };
        if (!_audioRefusedByPlan)
        {
            var answer = await _graphql.QueryAsync(FirefliesQueries.Transcript(withAudio: true), variables, FirefliesJson.Default.GraphQLResponseFirefliesTranscriptData, what, cancellationToken,
                tolerate: e => e.Is(FirefliesApi.Codes.PaidRequired));
            if (answer.Errors?.Any(e => e.Is(FirefliesApi.Codes.PaidRequired)) != true) return answer.Data?.Transcript;
            if (!_audioRefusedByPlan)
            {
                _audioRefusedByPlan = true;
                _logger.LogWarning("Fireflies refuses audio_url for this key's plan (paid_required: Pro or higher): calls are imported without their recording");
            }
            if (answer.Data?.Transcript is { } partial) return partial with { AudioUrl = null };
        }
        return (await _graphql.QueryAsync(FirefliesQueries.Transcript(withAudio: false), variables, FirefliesJson.Default.GraphQLResponseFirefliesTranscriptData, what, cancellationToken)).Data?.Transcript;
    }

    public async Task<CallMedia?> OpenMediaAsync(SourceCall call, CancellationToken cancellationToken)
    {
        var location = call.MediaLocation;
        if (location is null) return null;
        var readAt = call.ContextData.TryGetValue(AudioReadAtKey, out var ms) && long.TryParse(ms, CultureInfo.InvariantCulture, out var at)
            ? DateTimeOffset.FromUnixTimeMilliseconds(at) : DateTimeOffset.MinValue;
        // The pre-signed URL is used once and only while fresh; otherwise (stale, or refused by the media host) read it again.
        if (!_audioUsed.TryAdd(call.SourceCallId, true) || _services.Time.GetUtcNow() - readAt > FreshFor)
            location = await FreshAudioUrlAsync(call.SourceCallId, cancellationToken);
        if (location is null) return null;
        if (!Uri.TryCreate(location, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http"))
            throw new PermanentCallException($"Fireflies recording of {call.SourceCallId}: malformed payload (audio_url is not an absolute URL).");
        var (extension, contentType) = FirefliesCallMapping.MediaType(url);
        return await MediaDownload.OpenAsync(_http, url, MediaHost.Presigned, $"Fireflies recording of {call.SourceCallId}", extension, contentType,
            cancellationToken: cancellationToken);
    }

    private async Task<string?> FreshAudioUrlAsync(string id, CancellationToken cancellationToken)
    {
        var what = $"Fireflies recording address of {id} (query transcript audio_url)";
        var answer = await _graphql.QueryAsync(FirefliesQueries.TranscriptAudio, new Dictionary<string, object?> { ["id"] = id }, FirefliesJson.Default.GraphQLResponseFirefliesTranscriptData, what, cancellationToken);
        var url = answer.Data?.Transcript?.AudioUrl;
        return string.IsNullOrWhiteSpace(url) ? null : url.Trim();
    }

    public Task<Transcript?> FetchTranscriptAsync(SourceCall call, CancellationToken cancellationToken)
    {
        if (!call.ContextData.TryGetValue(SentencesKey, out var json)) return Task.FromResult<Transcript?>(null);
        var sentences = JsonSerializer.Deserialize(json, FirefliesJson.Default.ListFirefliesSentence);
        return Task.FromResult(FirefliesCallMapping.ToTranscript(sentences));
    }
}
