using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms.Auth;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Platforms.Zoom;

/// <summary>
/// Zoom cloud recordings: the account-wide listing walked in windows of under a month, a meeting's recordings
/// (files must be <c>completed</c>), past-meeting participants where the plan and scopes allow, and the files
/// downloaded from their <c>download_url</c> with the bearer token, following Zoom's redirect to storage.
/// The HTTP pipeline adds the token (and renews it after a 401).
/// </summary>
internal sealed class ZoomContext(Uri api, HttpClient http, ImportContextServices services) : IImportContext
{
    /// <summary>A download address older than this (from the call's detail) is read again from Zoom first.</summary>
    internal static readonly TimeSpan FreshFor = TimeSpan.FromMinutes(1);

    /// <summary>Zoom's largest page.</summary>
    internal const int PageSize = 300;

    /// <summary>A window whose next_page_token expired is listed again from its first page at most this often.</summary>
    internal const int MaxListingRestarts = 3;

    private readonly ILogger _logger = services.LoggerFactory.CreateLogger<ZoomContext>();
    private volatile bool _participantsUnavailable;

    public async Task ValidateCredentialsAsync(CancellationToken cancellationToken)
    {
        // A token, then the cheapest account-wide request: today's recordings, one per page.
        var today = Day(DateOnly.FromDateTime(services.Time.GetUtcNow().UtcDateTime));
        const string what = "Zoom credentials check (GET accounts/me/recordings)";
        using var response = await SendApiAsync($"accounts/me/recordings?from={today}&to={today}&page_size=1", what, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new CredentialsRejectedException(
                $"{what}: HTTP 404. The API address is wrong: check the credentials' '{PlatformCredentials.BaseUrlKey}' (or remove it to use api.zoom.us).");
        if (response.StatusCode == HttpStatusCode.BadRequest && await ReadErrorAsync(response, cancellationToken) is { Code: 4700 or 4711 })
            throw new CredentialsRejectedException(
                $"{what}: the app lacks a scope. Give the Server-to-Server OAuth app cloud_recording:read:list_account_recordings:admin (or recording:read:admin).");
        VendorResponses.EnsureSuccess(response, what);
    }

    public async IAsyncEnumerable<CallReference> ListCallsAsync(CallQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var path = ZoomListFilter.ListingPath(query);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var window in ZoomListingWindows.For(query.From, query.To))
        {
            var from = window.From;
            while (from <= window.To)
            {
                var coveredTo = window.To;
                string? pageToken = null;
                var restarts = 0;
                for (var page = 1; ; page++)
                {
                    var what = $"Zoom recordings listing {Day(from)}..{Day(window.To)}, page {page} (GET {(path.StartsWith("users/", StringComparison.Ordinal) ? "users/{user}" : "accounts/me")}/recordings)";
                    var url = $"{path}?from={Day(from)}&to={Day(window.To)}&page_size={PageSize}"
                              + (pageToken is null ? "" : "&next_page_token=" + Uri.EscapeDataString(pageToken));
                    using var response = await SendApiAsync(url, what, cancellationToken);
                    if (pageToken is not null && response.StatusCode == HttpStatusCode.BadRequest)
                    {
                        // The token lived 15 minutes; slow processing of earlier pages outlived it. Start the window over.
                        if (++restarts > MaxListingRestarts)
                            throw new TransientCallException($"{what}: Zoom refused the next_page_token {restarts} times in a row.");
                        _logger.LogWarning("Zoom refused the next_page_token of page {Page} (expired after 15 minutes?); listing {From}..{To} again from its first page",
                            page, Day(from), Day(window.To));
                        (pageToken, page) = (null, 0);
                        continue;
                    }
                    var list = await ReadListingAsync(response, what, query, cancellationToken);
                    if (page == 1 && DateOnly.TryParseExact(list.To, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var answeredTo) && answeredTo < window.To)
                    {
                        // Zoom narrows a range it finds too wide without saying so, except in the echoed 'to'.
                        _logger.LogWarning("Zoom narrowed the listing {From}..{To} to end {AnsweredTo}; the rest is listed next", Day(from), Day(window.To), Day(answeredTo));
                        coveredTo = answeredTo;
                    }
                    foreach (var meeting in list.Meetings ?? [])
                    {
                        if (Reference(meeting) is not { } call) continue;
                        // Whole days were asked for (with a day's margin); the range itself is half-open and exact.
                        if (call.StartedAt is { } start && (start < query.From || start >= query.To)) continue;
                        if (!seen.Add(call.SourceCallId)) continue;
                        yield return call;
                    }
                    pageToken = string.IsNullOrWhiteSpace(list.NextPageToken) ? null : list.NextPageToken;
                    if (pageToken is null) break;
                }
                from = coveredTo.AddDays(1);
            }
        }
    }

    public async Task<SourceCall> FetchCallAsync(CallReference call, CancellationToken cancellationToken)
    {
        var meeting = await MeetingAsync(call.SourceCallId, cancellationToken);
        var readAt = services.Time.GetUtcNow();
        if (ZoomCallMapping.StillProcessing(meeting) is { Count: > 0 } processing)
            throw new CallNotReadyException(
                $"Zoom meeting {call.SourceCallId}: Zoom is still processing its {string.Join(" and ", processing.Select(f => f.FileType))} file; tried again later.");
        var participants = await ParticipantsAsync(call.SourceCallId, cancellationToken);
        var source = ZoomCallMapping.ToSourceCall(call.SourceCallId, meeting, participants, ListedHostEmail(call));
        return source with
        {
            ContextData = new Dictionary<string, string>(source.ContextData) { [ZoomCallMapping.ReadAtKey] = readAt.ToString("O", CultureInfo.InvariantCulture) },
        };
    }

    public async Task<CallMedia?> OpenMediaAsync(SourceCall call, CancellationToken cancellationToken)
    {
        if (!call.ContextData.TryGetValue(ZoomCallMapping.MediaFileIdKey, out var fileId)) return null;
        var (response, file) = await DownloadAsync(call.SourceCallId, fileId, Fresh(call, call.MediaLocation), "recording", cancellationToken);
        try
        {
            var extension = "." + (file?.FileExtension ?? call.ContextData.GetValueOrDefault(ZoomCallMapping.MediaExtensionKey) ?? ExtensionOf(response)).ToLowerInvariant();
            var contentType = response.Content.Headers.ContentType?.MediaType ?? (extension == ".m4a" ? "audio/mp4" : "video/mp4");
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return new CallMedia(new ResponseOwningStream(response, body), contentType, response.Content.Headers.ContentLength, extension);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    public async Task<Transcript?> FetchTranscriptAsync(SourceCall call, CancellationToken cancellationToken)
    {
        if (!call.ContextData.TryGetValue(ZoomCallMapping.TranscriptFileIdKey, out var fileId)) return null;
        var (response, _) = await DownloadAsync(call.SourceCallId, fileId, Fresh(call, call.ContextData.GetValueOrDefault(ZoomCallMapping.TranscriptUrlKey)), "transcript", cancellationToken);
        using (response)
            return ZoomVtt.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    /// <summary>GET {meeting}/recordings, checked for what the import needs.</summary>
    private async Task<ZoomMeeting> MeetingAsync(string uuid, CancellationToken cancellationToken)
    {
        var what = $"Zoom meeting {uuid} (GET meetings/{{uuid}}/recordings)";
        using var response = await SendApiAsync(ZoomApi.MeetingRecordingsPath(uuid), what, cancellationToken);
        var meeting = await VendorResponses.ReadJsonAsync(response, what, ZoomJson.Default.ZoomMeeting, cancellationToken);
        ZoomCallMapping.EnsureWellFormed(meeting, what);
        return meeting;
    }

    /// <summary>Everyone Zoom lists for the meeting, or empty when it lists nobody, does not know the meeting, or the app may not ask.</summary>
    private async Task<IReadOnlyList<ZoomParticipant>> ParticipantsAsync(string uuid, CancellationToken cancellationToken)
    {
        var all = new List<ZoomParticipant>();
        string? next = null;
        do
        {
            if (_participantsUnavailable) return [];
            var what = $"Zoom participants of {uuid} (GET past_meetings/{{uuid}}/participants)";
            using var response = await SendApiAsync(
                $"{ZoomApi.PastParticipantsPath(uuid)}?page_size={PageSize}" + (next is null ? "" : "&next_page_token=" + Uri.EscapeDataString(next)), what, cancellationToken);
            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            {
                var error = await ReadErrorAsync(response, cancellationToken);
                if (response.StatusCode == HttpStatusCode.Forbidden || ZoomApi.MeansParticipantsUnavailable(error?.Code))
                {
                    _participantsUnavailable = true;
                    _logger.LogWarning("Zoom does not let this app read past-meeting participants (HTTP {Status}, code {Code}): calls carry their host only. " +
                                       "A Pro or higher plan and the scope meeting:read:list_past_participants:admin allow it.", (int)response.StatusCode, error?.Code);
                }
                return [];
            }
            var page = await VendorResponses.ReadJsonAsync(response, what, ZoomJson.Default.ZoomParticipantList, cancellationToken);
            all.AddRange(page.Participants ?? []);
            next = string.IsNullOrWhiteSpace(page.NextPageToken) ? null : page.NextPageToken;
        } while (next is not null);
        return all;
    }

    /// <summary>
    /// Opens a recording file: its download_url with the bearer token (only to Zoom's own host; the pipeline
    /// renews a refused token once), redirects followed (the HTTP client drops the token on the way to storage).
    /// A refused storage URL is looked up afresh once, then left to the processor as an expired media URL.
    /// </summary>
    private async Task<(HttpResponseMessage Response, ZoomRecordingFile? File)> DownloadAsync(
        string uuid, string fileId, string? knownUrl, string label, CancellationToken cancellationToken)
    {
        var what = $"Zoom {label} of {uuid} (GET download_url)";
        ZoomRecordingFile? file = null;
        var url = knownUrl;
        for (var lookups = 0; ; )
        {
            if (url is null)
            {
                // The address is read from the meeting itself right before downloading, never from an old listing.
                var meeting = await MeetingAsync(uuid, cancellationToken);
                lookups++;
                file = meeting.RecordingFiles?.FirstOrDefault(f => f.Id == fileId)
                       ?? throw new PermanentCallException($"{what}: Zoom no longer lists the {label} file {fileId}.");
                url = file.DownloadUrl!;
            }
            var target = new Uri(url);
            using var request = new HttpRequestMessage(HttpMethod.Get, target);
            // Zoom labels no rate limit for downloads; they count in no group (concurrency bounds them).
            LimitGroups.Unlimited(request);
            if (!IsZoomHost(target)) RequestAuthentication.WithoutAuth(request);
            var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var fromStorage = response.RequestMessage?.RequestUri is { } final && final.Authority != target.Authority;
            if (fromStorage && response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Gone or HttpStatusCode.BadRequest)
            {
                response.Dispose();
                if (lookups >= 1)
                    throw new MediaUrlExpiredException($"{what}: the storage host refused the signed URL (HTTP {(int)response.StatusCode}).");
                // The signed storage URL expired or was refused: ask Zoom again for the file's address.
                _logger.LogInformation("The storage host refused the signed URL of {Label} {FileId} (HTTP {Status}); asking Zoom again", label, fileId, (int)response.StatusCode);
                (url, file) = (null, null);
                continue;
            }
            if (response.IsSuccessStatusCode && response.Content.Headers.ContentType?.MediaType == "text/html")
            {
                response.Dispose();
                throw new TransientCallException($"{what}: Zoom answered a sign-in page instead of the file (the token was not accepted for downloads).");
            }
            if (!response.IsSuccessStatusCode)
            {
                using (response)
                    VendorResponses.EnsureSuccess(response, fromStorage ? $"{what} from storage" : what);
            }
            return (response, file);
        }
    }

    /// <summary>The address from the call's detail while it is fresh; null (read it again) once older than <see cref="FreshFor"/>.</summary>
    private string? Fresh(SourceCall call, string? url) =>
        url is not null && call.ContextData.TryGetValue(ZoomCallMapping.ReadAtKey, out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var readAt)
        && services.Time.GetUtcNow() - readAt <= FreshFor
            ? url
            : null;

    /// <summary>Only Zoom's own hosts (or the baseUrl standing for them) ever see the token.</summary>
    private bool IsZoomHost(Uri url) =>
        url.Authority == api.Authority
        || url.Host.Equals("zoom.us", StringComparison.OrdinalIgnoreCase)
        || url.Host.EndsWith(".zoom.us", StringComparison.OrdinalIgnoreCase);

    private static string ExtensionOf(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "audio/mp4" ? "m4a" : "mp4";

    /// <summary>An API GET; the pipeline adds the bearer token and renews it once after a 401.</summary>
    private async Task<HttpResponseMessage> SendApiAsync(string relative, string what, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(api, relative));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
    }

    private async Task<ZoomRecordingList> ReadListingAsync(HttpResponseMessage response, string what, CallQuery query, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.NotFound && query.Filter(ZoomListFilter.User) is { } user)
            throw new ArgumentException($"Zoom filter '{ZoomListFilter.User}': Zoom knows no user '{user}' in this account (HTTP 404).");
        try
        {
            return await VendorResponses.ReadJsonAsync(response, what, ZoomJson.Default.ZoomRecordingList, cancellationToken);
        }
        catch (PermanentCallException e)
        {
            // A listing that cannot be read stops this run (the next one lists again); it is no single call's failure.
            throw new TransientCallException(e.Message, e);
        }
    }

    /// <summary>A listed meeting's uuid and start; a meeting without a uuid cannot be fetched and is passed over.</summary>
    private CallReference? Reference(JsonElement meeting)
    {
        if (meeting.ValueKind != JsonValueKind.Object || !meeting.TryGetProperty("uuid", out var uuid) || uuid.ValueKind != JsonValueKind.String
            || string.IsNullOrWhiteSpace(uuid.GetString()))
        {
            _logger.LogWarning("Zoom listed a meeting without a uuid; it cannot be imported");
            return null;
        }
        DateTimeOffset? start = meeting.TryGetProperty("start_time", out var time) && time.ValueKind == JsonValueKind.String
                                && DateTimeOffset.TryParse(time.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;
        // The listing names the host's email, which a meeting's own recordings do not: keep it for the fetch.
        var hostEmail = meeting.TryGetProperty("host_email", out var email) && email.ValueKind == JsonValueKind.String ? email.GetString() : null;
        var kept = string.IsNullOrWhiteSpace(hostEmail) ? null : JsonSerializer.Serialize(new ZoomListedMeeting(hostEmail), ZoomJson.Default.ZoomListedMeeting);
        return new CallReference(uuid.GetString()!, start, kept);
    }

    private static string? ListedHostEmail(CallReference call)
    {
        if (call.ListingPayload is null) return null;
        try
        {
            return JsonSerializer.Deserialize(call.ListingPayload, ZoomJson.Default.ZoomListedMeeting)?.HostEmail;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<ZoomError?> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(await response.Content.ReadAsStreamAsync(cancellationToken), ZoomJson.Default.ZoomError, cancellationToken);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
