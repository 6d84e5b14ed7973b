using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using CallImport.Testing.Fakes;

namespace CallImport.Testing.Fakes.Zoom;

/// <summary>How the fake answers one request: storage and OAuth apart; API requests get faults, auth and limits first.</summary>
public sealed partial class ZoomFake
{
    private async Task HandleAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "";
        var rawPath = raw.Split('?', 2)[0];
        var isStorage = context.Connection.LocalPort == _storagePort;
        var (endpoint, argument) = isStorage ? (ZoomFakeEndpoint.Storage, rawPath) : Classify(context.Request.Method, rawPath);
        var category = endpoint switch
        {
            ZoomFakeEndpoint.ListAccountRecordings or ZoomFakeEndpoint.ListUserRecordings or ZoomFakeEndpoint.PastMeetingParticipants => ZoomFakeRateLimits.Medium,
            ZoomFakeEndpoint.MeetingRecordings => ZoomFakeRateLimits.Light,
            _ => null,
        };
        var at = _options.Time.GetUtcNow();
        try
        {
            await (endpoint switch
            {
                ZoomFakeEndpoint.Storage => StorageAsync(context, rawPath),
                ZoomFakeEndpoint.Token => TokenAsync(context),
                ZoomFakeEndpoint.Download => DownloadAsync(context, argument!),
                ZoomFakeEndpoint.Unknown => ErrorAsync(context, 404, null, 404, "Not found."),
                _ => ApiAsync(context, endpoint, category!, argument),
            });
        }
        finally
        {
            Traffic.Record(new ZoomFakeRequest(at, context.Request.Method, rawPath, endpoint, category, context.Response.StatusCode));
            Log.Add(new FakeRequest(at, context.Request.Method, rawPath, context.Response.StatusCode, category));
        }
    }

    private static (ZoomFakeEndpoint, string?) Classify(string method, string rawPath)
    {
        if (method == "POST" && rawPath == "/oauth/token") return (ZoomFakeEndpoint.Token, null);
        if (method != "GET") return (ZoomFakeEndpoint.Unknown, null);
        if (Between(rawPath, "/v2/meetings/", "/recordings") is { } meeting) return (ZoomFakeEndpoint.MeetingRecordings, meeting);
        if (Between(rawPath, "/v2/past_meetings/", "/participants") is { } past) return (ZoomFakeEndpoint.PastMeetingParticipants, past);
        if (Between(rawPath, "/v2/accounts/", "/recordings") is { } account && !account.Contains('/')) return (ZoomFakeEndpoint.ListAccountRecordings, account);
        if (Between(rawPath, "/v2/users/", "/recordings") is { } user && !user.Contains('/')) return (ZoomFakeEndpoint.ListUserRecordings, user);
        if (rawPath.StartsWith("/rec/download/", StringComparison.Ordinal)) return (ZoomFakeEndpoint.Download, rawPath["/rec/download/".Length..]);
        return (ZoomFakeEndpoint.Unknown, null);
    }

    private static string? Between(string path, string prefix, string suffix) =>
        path.StartsWith(prefix, StringComparison.Ordinal) && path.EndsWith(suffix, StringComparison.Ordinal) && path.Length > prefix.Length + suffix.Length
            ? path[prefix.Length..^suffix.Length]
            : null;

    // ---- OAuth: POST /oauth/token?grant_type=account_credentials&account_id=… with Basic client_id:client_secret

    private async Task TokenAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["grant_type"] != "account_credentials")
        {
            await OAuthErrorAsync(context, 400, "unsupported_grant_type", "Unsupported grant type");
            return;
        }
        if (!AuthenticationHeaderValue.TryParse(context.Request.Headers.Authorization, out var basic) || basic.Scheme != "Basic"
            || !TryBasic(basic.Parameter, out var clientId, out var secret) || clientId != _options.ClientId || secret != ClientSecret)
        {
            await OAuthErrorAsync(context, 400, "invalid_client", "Invalid client_id or client_secret");
            return;
        }
        if (query["account_id"] != _options.AccountId)
        {
            await OAuthErrorAsync(context, 400, "invalid_request", "Invalid account_id");
            return;
        }
        var token = _tokens.Issue(_options.TokenLifetime);
        await JsonAsync(context, new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "bearer",
            ["expires_in"] = (int)_options.TokenLifetime.TotalSeconds - 1,
            ["scope"] = "cloud_recording:read:list_account_recordings:admin cloud_recording:read:list_recording_files:admin meeting:read:list_past_participants:admin",
            ["api_url"] = BaseUrl.TrimEnd('/'),
        });
    }

    private static bool TryBasic(string? parameter, out string clientId, out string secret)
    {
        (clientId, secret) = ("", "");
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(parameter ?? ""));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0) return false;
            (clientId, secret) = (text[..colon], text[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private async Task OAuthErrorAsync(HttpContext context, int status, string error, string reason)
    {
        Traffic.Served(error == "invalid_client" ? ZoomFakeFault.InvalidClient : ZoomFakeFault.BadRequest);
        context.Response.StatusCode = status;
        await JsonAsync(context, new JsonObject { ["reason"] = reason, ["error"] = error });
    }

    // ---- API requests

    private async Task ApiAsync(HttpContext context, ZoomFakeEndpoint endpoint, string category, string? argument)
    {
        if (Faults.TakeStall() is { } stall)
        {
            Traffic.Served(ZoomFakeFault.Stalled);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(stall, _options.Time, wait.Token);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up (its timeout) or the fake is stopping
            }
        }
        if (Faults.TakeFailure() is { } failure)
        {
            await ErrorAsync(context, failure, ZoomFakeFault.ServerError, failure, "Internal Error.");
            return;
        }
        if (Faults.TakeTokenExpiry()) _tokens.ExpireAll();
        if (!await AuthorizedAsync(context)) return;
        if (!await AdmittedAsync(context, category)) return;

        await (endpoint switch
        {
            ZoomFakeEndpoint.ListAccountRecordings => ListAsync(context, argument!, account: true),
            ZoomFakeEndpoint.ListUserRecordings => ListAsync(context, argument!, account: false),
            ZoomFakeEndpoint.MeetingRecordings => MeetingRecordingsAsync(context, argument!),
            _ => ParticipantsAsync(context, argument!),
        });
    }

    private async Task<bool> AuthorizedAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
        switch (_tokens.Check(token))
        {
            case ZoomFakeTokenState.Valid:
                return true;
            case ZoomFakeTokenState.Expired:
                await ErrorAsync(context, 401, ZoomFakeFault.ExpiredToken, 124, "Access token is expired.");
                return false;
            default:
                await ErrorAsync(context, 401, ZoomFakeFault.InvalidToken, 124, "Invalid access token.");
                return false;
        }
    }

    private async Task<bool> AdmittedAsync(HttpContext context, string category)
    {
        if (Faults.IsDailyLimitReached && category == ZoomFakeRateLimits.Heavy)
        {
            await TooManyAsync(context, category, "Daily-limit", ZoomFakeRateLimits.Limits(_options.Plan, category).PerDay ?? 0,
                new DateTimeOffset(DateOnly.FromDateTime(_options.Time.GetUtcNow().UtcDateTime).AddDays(1), TimeOnly.MinValue, TimeSpan.Zero), ZoomFakeFault.DailyLimited);
            return false;
        }
        if (Faults.TakeThrottle())
        {
            await TooManyAsync(context, category, "QPS", ZoomFakeRateLimits.Limits(_options.Plan, category).PerSecond, null, ZoomFakeFault.Throttled);
            return false;
        }
        if (_limits is null) return true;
        if (_limits.TryAdmit(category, out var remaining) is not { } refused)
        {
            context.Response.Headers["X-RateLimit-Category"] = category;
            context.Response.Headers["X-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
            return true;
        }
        await TooManyAsync(context, category, refused.Type, refused.Limit, refused.ResetsAt,
            refused.ResetsAt is null ? ZoomFakeFault.RateLimited : ZoomFakeFault.DailyLimited);
        return false;
    }

    /// <summary>Zoom's 429: X-RateLimit-* headers, and Retry-After (an ISO time, as Zoom documents it) only for daily limits.</summary>
    private async Task TooManyAsync(HttpContext context, string category, string type, int limit, DateTimeOffset? resetsAt, ZoomFakeFault fault)
    {
        context.Response.Headers["X-RateLimit-Category"] = category;
        context.Response.Headers["X-RateLimit-Type"] = type;
        context.Response.Headers["X-RateLimit-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["X-RateLimit-Remaining"] = "0";
        if (resetsAt is { } at)
        {
            context.Response.Headers.RetryAfter = ZoomFakeJson.Time(at);
            await ErrorAsync(context, 429, fault, 429,
                $"You have exceeded the daily rate limit ({limit}) of {category} API requests permitted for this particular account. You may resume these requests at GMT 00:00:00.");
            return;
        }
        await ErrorAsync(context, 429, fault, 429, "You have reached the maximum per-second rate limit for this API. Try again later.");
    }

    private async Task ListAsync(HttpContext context, string owner, bool account)
    {
        string? hostId;
        var who = Uri.UnescapeDataString(owner);
        if (account)
        {
            if (who != "me" && who != _options.AccountId)
            {
                await ErrorAsync(context, 404, ZoomFakeFault.NotFound, 2001, $"Account does not exist: {who}.");
                return;
            }
            hostId = null;
        }
        else
        {
            var user = who == "me" ? Users[0] : Users.FirstOrDefault(u => u.Id == who || string.Equals(u.Email, who, StringComparison.OrdinalIgnoreCase));
            if (user is null)
            {
                await ErrorAsync(context, 404, ZoomFakeFault.NotFound, 1001, $"User does not exist: {who}.");
                return;
            }
            hostId = user.Id;
        }

        var query = context.Request.Query;
        ZoomFakeListing listing;
        var offset = 0;
        if (!string.IsNullOrEmpty(query["next_page_token"]))
        {
            if (_tokens.Page(query["next_page_token"]!) is not { } page)
            {
                await ErrorAsync(context, 400, ZoomFakeFault.PageTokenExpired, 300, "The next page token is invalid or expired.");
                return;
            }
            (listing, offset) = page;
        }
        else
        {
            var today = DateOnly.FromDateTime(_options.Time.GetUtcNow().UtcDateTime);
            if (!TryDate(query["to"], today, out var to) || !TryDate(query["from"], to, out var from))
            {
                await ErrorAsync(context, 400, ZoomFakeFault.BadRequest, 300, "Invalid parameter: from/to must be yyyy-MM-dd.");
                return;
            }
            if (to < from)
            {
                await ErrorAsync(context, 400, ZoomFakeFault.BadRequest, 300, "The 'to' date must be after the 'from' date.");
                return;
            }
            if (to > from.AddMonths(1))
            {
                // Zoom's answer to a wider range: no error, just one month of it.
                Traffic.Served(ZoomFakeFault.Narrowed);
                to = from.AddMonths(1);
            }
            var pageSize = 30;
            if (!string.IsNullOrEmpty(query["page_size"]) && (!int.TryParse(query["page_size"], CultureInfo.InvariantCulture, out pageSize) || pageSize < 1))
            {
                await ErrorAsync(context, 400, ZoomFakeFault.BadRequest, 300, "Invalid parameter: page_size.");
                return;
            }
            listing = new ZoomFakeListing(hostId, from, to, Math.Min(pageSize, _options.MaxPageSize));
        }

        var matching = _newestFirst.Where(m => (listing.HostId is null || m.Host.Id == listing.HostId)
            && DateOnly.FromDateTime(m.Start.UtcDateTime) is var day && day >= listing.From && day <= listing.To).ToList();
        var next = offset + listing.PageSize < matching.Count ? _tokens.IssuePage(listing, offset + listing.PageSize, _options.PageTokenLifetime) : "";
        await JsonAsync(context, new JsonObject
        {
            ["from"] = ZoomFakeJson.Date(listing.From),
            ["to"] = ZoomFakeJson.Date(listing.To),
            ["page_count"] = (matching.Count + listing.PageSize - 1) / listing.PageSize,
            ["page_size"] = listing.PageSize,
            ["total_records"] = matching.Count,
            ["next_page_token"] = next,
            ["meetings"] = new JsonArray([.. matching.Skip(offset).Take(listing.PageSize).Select(m => (JsonNode)ZoomFakeJson.Meeting(
                m, _options.AccountId, BaseUrl, Faults.IsProcessing(m.Uuid), Faults.IsMalformed(m.Uuid), detail: false))]),
        });
    }

    private static bool TryDate(string? text, DateOnly fallback, out DateOnly date)
    {
        date = fallback;
        return string.IsNullOrEmpty(text) || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    private async Task MeetingRecordingsAsync(HttpContext context, string rawUuid)
    {
        if (await FindAsync(context, rawUuid, 3301, "This recording does not exist.") is not { } meeting) return;
        if (Faults.TakeDetailFailure(meeting.Uuid) is { } status)
        {
            await ErrorAsync(context, status, ZoomFakeFault.ServerError, status, "Internal Error.");
            return;
        }
        if (Faults.IsMalformed(meeting.Uuid))
        {
            Traffic.Served(ZoomFakeFault.Malformed);
            context.Response.ContentType = "application/json; charset=utf-8";
            var whole = ZoomFakeJson.Meeting(meeting, _options.AccountId, BaseUrl, false, malformed: true, detail: true).ToJsonString();
            await context.Response.WriteAsync(whole[..(whole.Length / 2)]);
            return;
        }
        var processing = Faults.TakeProcessing(meeting.Uuid);
        if (processing) Traffic.Served(ZoomFakeFault.Processing);
        var json = ZoomFakeJson.Meeting(meeting, _options.AccountId, BaseUrl, processing, malformed: false, detail: true);
        if ((context.Request.Query["include_fields"].ToString() ?? "").Contains("download_access_token", StringComparison.Ordinal))
            json["download_access_token"] = _tokens.Issue(TimeSpan.FromHours(24));
        await JsonAsync(context, json);
    }

    private async Task ParticipantsAsync(HttpContext context, string rawUuid)
    {
        if (_options.Plan == ZoomFakePlan.Free)
        {
            await ErrorAsync(context, 400, ZoomFakeFault.ParticipantsUnavailable, 200, $"Only available for Paid or ZMP account: {_options.AccountId}.");
            return;
        }
        if (!ParticipantsAvailable)
        {
            await ErrorAsync(context, 400, ZoomFakeFault.ParticipantsUnavailable, 4711,
                "Invalid access token, does not contain scopes:[meeting:read:list_past_participants:admin].");
            return;
        }
        if (await FindAsync(context, rawUuid, 3001, "Meeting does not exist.") is not { } meeting) return;
        var query = context.Request.Query;
        var pageSize = int.TryParse(query["page_size"], CultureInfo.InvariantCulture, out var size) && size > 0 ? Math.Min(size, 300) : 30;
        var offset = int.TryParse(query["next_page_token"], CultureInfo.InvariantCulture, out var o) ? o : 0;
        // Zoom: "the API doesn't return results if there's only one participant in a meeting".
        var all = meeting.Participants.Count < 2 ? [] : meeting.Participants;
        await JsonAsync(context, new JsonObject
        {
            ["page_count"] = (all.Count + pageSize - 1) / pageSize,
            ["page_size"] = pageSize,
            ["total_records"] = all.Count,
            ["next_page_token"] = offset + pageSize < all.Count ? (offset + pageSize).ToString(CultureInfo.InvariantCulture) : "",
            ["participants"] = new JsonArray([.. all.Skip(offset).Take(pageSize).Select(p => (JsonNode)ZoomFakeJson.Participant(p, meeting.Start))]),
        });
    }

    /// <summary>
    /// The meeting a path's UUID names. Zoom decodes the path once before routing, so a UUID that begins with
    /// '/' or contains '//' is only found when the client encoded it twice; any other works either way.
    /// </summary>
    private async Task<ZoomFakeMeeting?> FindAsync(HttpContext context, string rawUuid, int code, string message)
    {
        var doubleEncoded = rawUuid.Contains("%25", StringComparison.Ordinal);
        var uuid = Uri.UnescapeDataString(rawUuid);
        if (doubleEncoded) uuid = Uri.UnescapeDataString(uuid);
        if (_byUuid.TryGetValue(uuid, out var meeting) && !Faults.IsNotFound(uuid))
        {
            if (doubleEncoded || !meeting.NeedsDoubleEncoding) return meeting;
            await ErrorAsync(context, 404, ZoomFakeFault.WrongEncoding, code, message);
            return null;
        }
        await ErrorAsync(context, 404, ZoomFakeFault.NotFound, code, message);
        return null;
    }

    // ---- Downloads: zoom.us/rec/download/{file} with the token, redirecting to a signed storage URL

    private async Task DownloadAsync(HttpContext context, string fileId)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : context.Request.Query["access_token"].ToString();
        if (string.IsNullOrEmpty(token))
        {
            // Without a token Zoom shows its sign-in page: a client that stores it has stored HTML, not media.
            Traffic.Served(ZoomFakeFault.LoginPage);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync("<!doctype html><html><head><title>Sign In - Zoom</title></head><body>Sign in to continue</body></html>");
            return;
        }
        switch (_tokens.Check(token))
        {
            case ZoomFakeTokenState.Expired:
                await ErrorAsync(context, 401, ZoomFakeFault.ExpiredToken, 124, "Access token is expired.");
                return;
            case ZoomFakeTokenState.Unknown:
                await ErrorAsync(context, 401, ZoomFakeFault.InvalidToken, 124, "Invalid access token.");
                return;
        }
        if (!_filesById.ContainsKey(fileId))
        {
            await ErrorAsync(context, 404, ZoomFakeFault.NotFound, 3301, "This recording does not exist.");
            return;
        }
        var expires = Faults.TakeExpiredStorageUrl(fileId) ? _options.Time.GetUtcNow().AddMinutes(-1) : _options.Time.GetUtcNow() + _options.MediaUrlLifetime;
        var seconds = expires.ToUnixTimeSeconds();
        context.Response.StatusCode = 302;
        context.Response.Headers.Location = $"{StorageUrl}replay/{fileId}?Expires={seconds}&Signature={Sign(fileId, seconds)}";
    }

    private async Task StorageAsync(HttpContext context, string rawPath)
    {
        var fileId = rawPath.StartsWith("/replay/", StringComparison.Ordinal) ? rawPath["/replay/".Length..] : "";
        if (context.Request.Headers.Authorization.Count > 0)
        {
            // S3-style hosts refuse a second authentication beside the signature.
            Traffic.Served(ZoomFakeFault.AuthorizationOnStorage);
            await XmlErrorAsync(context, 400, "InvalidArgument", "Only one auth mechanism allowed");
            return;
        }
        if (!_filesById.TryGetValue(fileId, out var file) || !long.TryParse(context.Request.Query["Expires"], CultureInfo.InvariantCulture, out var seconds)
            || context.Request.Query["Signature"] != Sign(fileId, seconds))
        {
            await XmlErrorAsync(context, 403, "AccessDenied", "Access Denied");
            return;
        }
        if (_options.Time.GetUtcNow().ToUnixTimeSeconds() >= seconds)
        {
            Traffic.Served(ZoomFakeFault.StorageUrlExpired);
            await XmlErrorAsync(context, 403, "AccessDenied", "Request has expired");
            return;
        }
        context.Response.ContentType = file.ContentType;
        context.Response.ContentLength = file.Content.Length;
        await context.Response.Body.WriteAsync(file.Content, context.RequestAborted);
    }

    private string Sign(string fileId, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_signingKey, Encoding.UTF8.GetBytes($"{fileId}\n{expires}")))[..32];

    private static async Task XmlErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>");
    }

    private async Task ErrorAsync(HttpContext context, int status, ZoomFakeFault? fault, int code, string message)
    {
        if (fault is { } served) Traffic.Served(served);
        context.Response.StatusCode = status;
        await JsonAsync(context, ZoomFakeJson.Error(code, message));
    }

    private static async Task JsonAsync(HttpContext context, JsonNode body)
    {
        context.Response.ContentType = "application/json;charset=UTF-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
