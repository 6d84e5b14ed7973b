using System.Net;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>
/// HubSpot calls through the CRM API. The search lists ids and times (<see cref="HubSpotCallSearch"/>); its pages
/// become batches of up to 100, and the first call of a batch to be processed reads the whole batch's properties,
/// contact associations and contacts (three batch requests). The owner (internal) comes from the owners listed
/// once per run; contacts are external. Recordings come from the calling provider's URL
/// (<see cref="HubSpotRecording"/>); transcripts from the calling-transcripts API, which only OAuth tokens may
/// read: with a private app's token no transcript is asked for and transcription is queued instead.
/// </summary>
internal sealed class HubSpotContext : IImportContext
{
    private readonly HubSpotClient _client;
    private readonly HubSpotTokenKind _tokenKind;
    private readonly ImportContextServices _services;
    private readonly ILogger _logger;
    private readonly HubSpotCallBatches _batches = new();
    private readonly HubSpotOwners _owners;
    private readonly HubSpotRecording _recording;
    private volatile bool _transcriptsRefused;

    public HubSpotContext(Uri baseUrl, HubSpotTokenKind tokenKind, HttpClient http, ImportContextServices services)
    {
        _client = new HubSpotClient(baseUrl, http);
        _tokenKind = tokenKind;
        _services = services;
        _logger = services.LoggerFactory.CreateLogger<HubSpotContext>();
        _owners = new HubSpotOwners(_client, _logger);
        _recording = new HubSpotRecording(_client, _logger);
        if (tokenKind == HubSpotTokenKind.PrivateApp)
            _logger.LogInformation("HubSpot private-app token: HubSpot's transcripts need OAuth, so every call's transcription is queued instead");
    }

    /// <summary>The search's page size (HubSpot's maximum, 200; tests use smaller).</summary>
    internal int SearchPageSize { get; init; } = HubSpotApi.SearchPageSize;

    public void ValidateQuery(CallQuery query) => HubSpotListFilter.Validate(query.Filters);

    public async Task ValidateCredentialsAsync(CancellationToken cancellationToken)
    {
        // The cheapest request that needs the calls' scope: a search of the last minute for one call.
        var now = _services.Time.GetUtcNow();
        const string what = "HubSpot credentials check (POST /crm/v3/objects/calls/search)";
        using var request = _client.Request(HttpMethod.Post, HubSpotApi.SearchPath, new HubSpotSearchRequest(
            [new HubSpotFilterGroup([new HubSpotFilter(HubSpotApi.Timestamp, "GTE", HubSpotApi.Millis(now.AddMinutes(-1)))])],
            [], [HubSpotApi.Timestamp], 1, null));
        using var response = await _client.SendAsync(request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new CredentialsRejectedException(
                $"{what}: HTTP 404. The API address is wrong: check the credentials' '{PlatformCredentials.BaseUrlKey}' (or remove it to use {HubSpotApi.DefaultBaseUrl}).");
        await HubSpotClient.EnsureSuccessAsync(response, what, cancellationToken);
    }

    public async IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        HubSpotListFilter.Validate(query.Filters);
        IReadOnlyList<string>? registered = null;
        await foreach (var (id, start, batch) in new HubSpotCallSearch(_client, _logger, SearchPageSize).ListAsync(query, cancellationToken))
        {
            if (!ReferenceEquals(batch, registered)) _batches.Register(registered = batch);
            yield return new CallReference(id, start, new HubSpotListingPayload(batch).Write());
        }
    }

    public async Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken)
    {
        var id = call.SourceCallId;
        var details = await _batches.For(id, call.ListingPayload).DetailsAsync(ids => FetchDetailsAsync(ids, cancellationToken));
        _batches.Forget(id); // a retry of this call reads it afresh
        if (!details.TryGetValue(id, out var entry))
            throw new PermanentCallException($"HubSpot call {id} (POST /{HubSpotApi.CallsBatchReadPath}): HubSpot returned no record for it (deleted since the listing, or not visible to this token).");
        if (entry.Malformed is { } reason)
            throw new PermanentCallException($"HubSpot call {id} (POST /{HubSpotApi.CallsBatchReadPath}): malformed payload ({reason}).");
        var owner = await _owners.FindAsync(entry.Call!.Property("hubspot_owner_id"), cancellationToken);
        return HubSpotCallMapping.ToSourceCall(id, entry.Call, owner, entry.Contacts);
    }

    /// <summary>Calls whose batch this context still holds.</summary>
    internal int HeldCalls => _batches.Count;

    public void CallsPending(IReadOnlySet<string> sourceCallIds) => _batches.Pending(sourceCallIds);

    /// <summary>A call whose batch read failed on its last attempt never reached its own Forget: it lets go now.</summary>
    public void CallEnded(string sourceCallId) => _batches.Forget(sourceCallId);

    public Task<CallMedia?> OpenMediaAsync(SourceCall call, CancellationToken cancellationToken) =>
        _recording.OpenAsync(call.SourceCallId, call.MediaLocation, cancellationToken);

    public async Task<Transcript?> FetchTranscriptAsync(SourceCall call, CancellationToken cancellationToken)
    {
        if (_tokenKind != HubSpotTokenKind.OAuth || _transcriptsRefused) return null;
        if (!call.ContextData.TryGetValue(HubSpotCallMapping.TranscriptIdKey, out var transcriptId)) return null;
        var what = $"HubSpot transcript of call {call.SourceCallId} (GET /crm/v3/extensions/calling/transcripts/{{id}})";
        using var request = _client.Request(HttpMethod.Get, HubSpotApi.TranscriptPath(transcriptId));
        using var response = await _client.SendAsync(request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        switch (response.StatusCode)
        {
            case HttpStatusCode.NotFound:
                return null; // none (any more): transcription is queued
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                _transcriptsRefused = true;
                _logger.LogWarning("HubSpot refused the calling-transcripts API (HTTP {Status}): it needs an OAuth token with crm.extensions_calling_transcripts.read; the run queues transcription for every call instead",
                    (int)response.StatusCode);
                return null;
        }
        await HubSpotClient.EnsureSuccessAsync(response, what, cancellationToken);
        var transcript = await VendorResponses.ReadJsonAsync(response, what, HubSpotJson.Default.HubSpotTranscript, cancellationToken);
        return HubSpotCallMapping.ToTranscript(transcript);
    }

    private async Task<IReadOnlyDictionary<string, HubSpotCallDetails>> FetchDetailsAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var calls = new Dictionary<string, HubSpotCallDetails>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(HubSpotApi.BatchSize))
        {
            var what = $"HubSpot details of {chunk.Length} calls (POST /{HubSpotApi.CallsBatchReadPath})";
            using var request = _client.Request(HttpMethod.Post, HubSpotApi.CallsBatchReadPath,
                new HubSpotBatchReadRequest(HubSpotApi.CallProperties, [.. chunk.Select(i => new HubSpotId(i))]));
            var response = await _client.SendForJsonAsync(request, what, HubSpotJson.Default.HubSpotBatchResponse, cancellationToken);
            foreach (var record in response.Results ?? [])
                if (HubSpotCallMapping.Read(record) is ({ } id, { } details)) calls[id] = details;
        }
        var readable = calls.Where(c => c.Value.Call is not null).Select(c => c.Key).ToList();
        var contactIds = await ContactIdsAsync(readable, cancellationToken);
        var contacts = await ContactsAsync(contactIds.Values.SelectMany(c => c).Distinct(StringComparer.Ordinal).ToList(), cancellationToken);
        foreach (var id in readable)
            calls[id] = calls[id] with
            {
                Contacts = [.. (contactIds.GetValueOrDefault(id) ?? []).Select(c => contacts.GetValueOrDefault(c)).OfType<HubSpotObject>()],
            };
        return calls;
    }

    /// <summary>Each call's associated contact ids (v4 associations, batch read).</summary>
    private async Task<Dictionary<string, List<string>>> ContactIdsAsync(IReadOnlyList<string> callIds, CancellationToken cancellationToken)
    {
        var byCall = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var chunk in callIds.Chunk(HubSpotApi.BatchSize))
        {
            var what = $"HubSpot contacts of {chunk.Length} calls (POST /{HubSpotApi.CallContactsPath})";
            using var request = _client.Request(HttpMethod.Post, HubSpotApi.CallContactsPath, new HubSpotBatchReadRequest(null, [.. chunk.Select(i => new HubSpotId(i))]));
            var response = await _client.SendForJsonAsync(request, what, HubSpotJson.Default.HubSpotAssociationsResponse, cancellationToken);
            foreach (var association in response.Results ?? [])
            {
                if (association.From?.Id is not { Length: > 0 } from) continue;
                var list = byCall.TryGetValue(from, out var known) ? known : byCall[from] = [];
                list.AddRange((association.To ?? []).Where(t => t.ToObjectId is not null)
                    .Select(t => t.ToObjectId!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
        return byCall;
    }

    private async Task<Dictionary<string, HubSpotObject>> ContactsAsync(IReadOnlyList<string> contactIds, CancellationToken cancellationToken)
    {
        var contacts = new Dictionary<string, HubSpotObject>(StringComparer.Ordinal);
        foreach (var chunk in contactIds.Chunk(HubSpotApi.BatchSize))
        {
            var what = $"HubSpot {chunk.Length} contacts (POST /{HubSpotApi.ContactsBatchReadPath})";
            using var request = _client.Request(HttpMethod.Post, HubSpotApi.ContactsBatchReadPath,
                new HubSpotBatchReadRequest(HubSpotApi.ContactProperties, [.. chunk.Select(i => new HubSpotId(i))]));
            var response = await _client.SendForJsonAsync(request, what, HubSpotJson.Default.HubSpotBatchResponse, cancellationToken);
            foreach (var record in response.Results ?? [])
            {
                // A contact that does not read is left out; the call keeps its other participants.
                try
                {
                    if (System.Text.Json.JsonSerializer.Deserialize(record, HubSpotJson.Default.HubSpotObject) is { Id.Length: > 0 } contact) contacts[contact.Id] = contact;
                }
                catch (System.Text.Json.JsonException)
                {
                    _logger.LogWarning("HubSpot returned a contact record that does not read; it is left out of its calls' participants");
                }
            }
        }
        return contacts;
    }
}
