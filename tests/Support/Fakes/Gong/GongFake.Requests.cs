using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CallImport.Testing.Fakes.Gong;

/// <summary>How the fake answers an API request: stalls first, then limits, injected faults, auth, then the endpoint.</summary>
public sealed partial class GongFake
{
    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var endpoint = Classify(context.Request.Method, path);
        var at = _options.Time.GetUtcNow(); // arrival, as Gong counts its limits
        if (endpoint == GongFakeEndpoint.Storage)
            await StorageAsync(context, path);
        else
            await ApiAsync(context, endpoint);
        var api = endpoint != GongFakeEndpoint.Storage;
        Traffic.Answered(new GongFakeRequest(at, context.Request.Method, path, endpoint, context.Response.StatusCode, api));
        Log.Add(new FakeRequest(at, context.Request.Method, path, context.Response.StatusCode, api ? GongVendorFake.ApiGroup : null));
    }

    private static GongFakeEndpoint Classify(string method, string path) => (method, path.TrimEnd('/')) switch
    {
        (_, var p) when p.StartsWith(GongFakeMediaSigner.StoragePath, StringComparison.Ordinal) => GongFakeEndpoint.Storage,
        ("GET", "/v2/calls") => GongFakeEndpoint.ListCalls,
        ("POST", "/v2/calls/extensive") => GongFakeEndpoint.Extensive,
        ("POST", "/v2/calls/transcript") => GongFakeEndpoint.Transcript,
        _ => GongFakeEndpoint.Unknown,
    };

    private async Task ApiAsync(HttpContext context, GongFakeEndpoint endpoint)
    {
        if (Faults.TakeDelay() is { } delay)
        {
            Traffic.Served(GongFakeFault.Delayed);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(delay, _options.Time, wait.Token);
            }
            catch (OperationCanceledException)
            {
                return; // the client gave up (its timeout) or the fake is stopping
            }
        }
        if (_limits?.TryAdmit() is { Admitted: false } refused)
        {
            await TooManyRequestsAsync(context, refused.DailyLimit ? GongFakeFault.DailyLimit : GongFakeFault.RateLimited, refused.RetryAfterSeconds,
                refused.DailyLimit ? "API limit reached: 10000 calls per day" : "API limit reached: too many requests per second");
            return;
        }
        if (Faults.TakeThrottle() is { } retryAfter)
        {
            await TooManyRequestsAsync(context, GongFakeFault.Throttled, retryAfter, "API limit reached: too many requests per second");
            return;
        }
        if (Faults.TakeFailure() is { } status)
        {
            await ErrorAsync(context, status, GongFakeFault.ServerError, "Internal server error");
            return;
        }
        if (!Authorized(context.Request.Headers.Authorization.ToString()))
        {
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, GongFakeFault.Unauthorized, "Invalid credentials");
            return;
        }

        await (endpoint switch
        {
            GongFakeEndpoint.ListCalls => ListAsync(context),
            GongFakeEndpoint.Extensive => ExtensiveAsync(context),
            GongFakeEndpoint.Transcript => TranscriptAsync(context),
            _ => ErrorAsync(context, StatusCodes.Status404NotFound, null, "Not found"),
        });
    }

    private bool Authorized(string header)
    {
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccessKey}:{AccessKeySecret}"));
        return string.Equals(header, $"Basic {basic}", StringComparison.Ordinal)
               || (_options.OAuthToken is { } token && string.Equals(header, $"Bearer {token}", StringComparison.Ordinal));
    }

    private async Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!TryTime(query["fromDateTime"], out var from) || !TryTime(query["toDateTime"], out var to))
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, GongFakeFault.BadRequest, "fromDateTime and toDateTime must be ISO-8601 date-times");
            return;
        }
        var workspace = query["workspaceId"].ToString();
        var filter = new GongFakeFilter(from, to, workspace.Length == 0 ? null : workspace, null, null);
        await PageAsync(context, "calls", filter, query["cursor"].ToString(), c => GongFakeJson.MetaData(c), "calls");
    }

    private async Task ExtensiveAsync(HttpContext context)
    {
        if (await BodyAsync(context) is not { } body) return;
        if (GongFakeFilter.Parse(body["filter"], out var error) is not { } filter)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, GongFakeFault.BadRequest, error);
            return;
        }
        var exposed = body["contentSelector"]?["exposedFields"];
        var parties = exposed?["parties"]?.GetValueKind() == JsonValueKind.True;
        var media = exposed?["media"]?.GetValueKind() == JsonValueKind.True;
        if (filter.CallIds is { } ids) Traffic.ExtensiveAsked(ids);
        var origin = $"{context.Request.Scheme}://{context.Request.Host}";
        await PageAsync(context, "extensive", filter, TextOf(body["cursor"]), c =>
        {
            if (Faults.IsMalformed(c.Id))
            {
                Traffic.Served(GongFakeFault.Malformed);
                return GongFakeJson.MalformedExtensive(c);
            }
            return GongFakeJson.Extensive(c, parties, media ? MediaUrls(origin, c) : null);
        }, "calls");
    }

    private async Task TranscriptAsync(HttpContext context)
    {
        if (await BodyAsync(context) is not { } body) return;
        if (GongFakeFilter.Parse(body["filter"], out var error) is not { } filter)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, GongFakeFault.BadRequest, error);
            return;
        }
        await PageAsync(context, "transcript", filter with { TranscriptsOnly = true }, TextOf(body["cursor"]), GongFakeJson.CallTranscript, "callTranscripts");
    }

    /// <summary>One page of 100 (or the configured size); a cursor only while more follow; 404 when nothing matches.</summary>
    private async Task PageAsync(HttpContext context, string endpoint, GongFakeFilter filter, string? cursor, Func<GongFakeCall, JsonObject> render, string arrayName)
    {
        var offset = 0;
        if (!string.IsNullOrEmpty(cursor))
        {
            if (GongFakeCursor.Decode(cursor, endpoint, filter.Key) is not { } decoded)
            {
                await ErrorAsync(context, StatusCodes.Status400BadRequest, GongFakeFault.BadRequest, "cursor is invalid or does not match the filter");
                return;
            }
            offset = decoded;
        }
        var matching = _inMatchOrder.Where(c => filter.Matches(c) && !Faults.IsDeleted(c.Id)).ToList();
        if (offset >= matching.Count)
        {
            await ErrorAsync(context, StatusCodes.Status404NotFound, GongFakeFault.NoCallsFound, NoCallsFound);
            return;
        }
        var page = matching.Skip(offset).Take(_options.PageSize).ToList();
        var next = offset + page.Count;
        var nextCursor = next < matching.Count ? GongFakeCursor.Encode(endpoint, filter.Key, next) : null;
        await JsonAsync(context, new JsonObject
        {
            ["requestId"] = RequestId(),
            ["records"] = GongFakeJson.Records(matching.Count, page.Count, offset / _options.PageSize, nextCursor),
            [arrayName] = new JsonArray([.. page.Select(render)]),
        });
    }

    private JsonObject MediaUrls(string origin, GongFakeCall call) => new()
    {
        ["audioUrl"] = call.Audio is null ? null : _signer.Sign(origin, call.Id, "audio.mp3"),
        ["videoUrl"] = call.Video is null ? null : _signer.Sign(origin, call.Id, "video.mp4"),
    };

    /// <summary>The request's JSON object, or null after answering 400.</summary>
    private async Task<JsonObject?> BodyAsync(HttpContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            var text = await reader.ReadToEndAsync(context.RequestAborted);
            if (JsonNode.Parse(text) is JsonObject body) return body;
        }
        catch (JsonException)
        {
        }
        await ErrorAsync(context, StatusCodes.Status400BadRequest, GongFakeFault.BadRequest, "The request body must be a JSON object");
        return null;
    }

    private static string? TextOf(JsonNode? node) => node?.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : null;

    internal static bool TryTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (string.IsNullOrEmpty(text)) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        time = parsed;
        return true;
    }

    private async Task TooManyRequestsAsync(HttpContext context, GongFakeFault fault, int retryAfterSeconds, string message)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await ErrorAsync(context, StatusCodes.Status429TooManyRequests, fault, message);
    }

    private async Task ErrorAsync(HttpContext context, int status, GongFakeFault? fault, string message)
    {
        if (fault is { } served) Traffic.Served(served);
        context.Response.StatusCode = status;
        await JsonAsync(context, GongFakeJson.Error(RequestId(), message));
    }

    private static async Task JsonAsync(HttpContext context, JsonNode body)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private static string RequestId() => Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..19];
}
