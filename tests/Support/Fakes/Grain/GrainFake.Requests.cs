using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using CallImport.Testing.Fakes;

namespace CallImport.Testing.Fakes.Grain;

/// <summary>How the fake answers one request: faults first, then auth and version, then the endpoint.</summary>
public sealed partial class GrainFake
{
    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var relative = path.StartsWith(BasePath, StringComparison.Ordinal) ? path[BasePath.Length..] : path;
        var (endpoint, id) = Classify(context.Request.Method, relative);
        Traffic.Received(context.Request.Method, relative, endpoint, _options.Time.GetUtcNow());
        var arrived = _options.Time.GetUtcNow();
        await AnswerAsync(context, endpoint, id);
        Traffic.Answered(context.Response.StatusCode);
        // Grain counts every request in one window.
        Log.Add(new FakeRequest(arrived, context.Request.Method, relative, context.Response.StatusCode, "overall"));
    }

    private static (GrainFakeEndpoint, string?) Classify(string method, string relative) =>
        (method, relative.Split('/')) switch
        {
            ("POST", ["v2", "recordings"]) => (GrainFakeEndpoint.ListRecordings, null),
            ("POST", ["v2", "recordings", var id]) => (GrainFakeEndpoint.GetRecording, id),
            ("GET", ["v2", "recordings", var id, "transcript"]) => (GrainFakeEndpoint.GetTranscript, id),
            _ => (GrainFakeEndpoint.Unknown, null),
        };

    private async Task AnswerAsync(HttpContext context, GrainFakeEndpoint endpoint, string? id)
    {
        if (Faults.TakeDelay() is { } delay)
        {
            Traffic.Served(GrainFakeFault.Delayed);
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

        if (_rateWindow is not null)
        {
            var (admitted, remaining, retryAfter) = _rateWindow.TryAdmit();
            context.Response.Headers["x-ratelimit-limit"] = _rateWindow.Limit.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers["x-ratelimit-remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
            if (!admitted)
            {
                await TooManyRequestsAsync(context, GrainFakeFault.RateLimited, retryAfter);
                return;
            }
        }
        if (Faults.TakeThrottle() is { } throttledFor)
        {
            await TooManyRequestsAsync(context, GrainFakeFault.Throttled, throttledFor);
            return;
        }
        if (Faults.TakeFailure() is { } failure)
        {
            await ErrorAsync(context, failure, GrainFakeFault.ServerError, "Internal server error");
            return;
        }
        if (!string.Equals(context.Request.Headers.Authorization.ToString(), $"Bearer {ApiKey}", StringComparison.Ordinal))
        {
            await ErrorAsync(context, StatusCodes.Status401Unauthorized, GrainFakeFault.Unauthorized, "Unauthorized");
            return;
        }
        if (context.Request.Headers["Public-Api-Version"].ToString() != ApiVersion)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, GrainFakeFault.MissingApiVersion, $"Public-Api-Version must be {ApiVersion}");
            return;
        }

        await (endpoint switch
        {
            GrainFakeEndpoint.ListRecordings => ListAsync(context),
            GrainFakeEndpoint.GetRecording => RecordingAsync(context, id!),
            GrainFakeEndpoint.GetTranscript => TranscriptAsync(context, id!),
            _ => ErrorAsync(context, StatusCodes.Status404NotFound, null, "Not found"),
        });
    }

    private async Task ListAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context);
        if (body is null) return;
        if (GrainFakeListQuery.From(body, out var error) is not { } query)
        {
            await ErrorAsync(context, StatusCodes.Status400BadRequest, GrainFakeFault.BadRequest, error);
            return;
        }

        var matching = _newestFirst.Where(query.Matches).ToList();
        var (offset, emptiesServed) = query.Cursor ?? new GrainFakeCursor(0, 0);
        var page = offset / _options.PageSize + 1;
        var emptiesWanted = offset < matching.Count ? Faults.EmptyPagesBeforePage(page) : Faults.TrailingEmptyPageCount;
        if (emptiesServed < emptiesWanted || offset >= matching.Count)
        {
            var more = emptiesServed < emptiesWanted;
            if (more) Traffic.Served(GrainFakeFault.EmptyPage);
            await JsonAsync(context, Page([], more ? new GrainFakeCursor(offset, emptiesServed + 1) : null));
            return;
        }

        var next = offset + _options.PageSize;
        var nextCursor = next < matching.Count || Faults.TrailingEmptyPageCount > 0 ? new GrainFakeCursor(next, 0) : null;
        var recordings = matching.Skip(offset).Take(_options.PageSize).Select(r => GrainFakeJson.Recording(r, query.IncludeParticipants));
        await JsonAsync(context, Page(recordings, nextCursor));
    }

    private static JsonObject Page(IEnumerable<JsonObject> recordings, GrainFakeCursor? cursor) => new()
    {
        ["recordings"] = new JsonArray([.. recordings]),
        ["cursor"] = cursor?.Encode(),
    };

    private async Task RecordingAsync(HttpContext context, string id)
    {
        var body = await ReadBodyAsync(context);
        if (body is null) return;
        if (await FindAsync(context, id) is not { } recording) return;
        if (Faults.TakeDetailFailure(id) is { } status)
        {
            await ErrorAsync(context, status, GrainFakeFault.ServerError, "Internal server error");
            return;
        }
        if (Faults.IsMalformed(id))
        {
            Traffic.Served(GrainFakeFault.Malformed);
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync($"{{\"id\":\"{recording.Id}\",\"title\":\"{recording.Title}\",\"participants\":[{{\"na");
            return;
        }
        var includeParticipants = body["include"]?["participants"]?.GetValueKind() == JsonValueKind.True;
        await JsonAsync(context, GrainFakeJson.Recording(recording, includeParticipants));
    }

    private async Task TranscriptAsync(HttpContext context, string id)
    {
        if (await FindAsync(context, id) is not { } recording) return;
        if (Faults.IsTranscriptNotReady(id))
        {
            Traffic.Served(GrainFakeFault.TranscriptNotReady);
            await JsonAsync(context, new JsonArray());
            return;
        }
        await JsonAsync(context, GrainFakeJson.Transcript(recording));
    }

    private async Task<GrainFakeRecording?> FindAsync(HttpContext context, string id)
    {
        if (_byId.TryGetValue(id, out var recording) && !Faults.IsNotFound(id)) return recording;
        await ErrorAsync(context, StatusCodes.Status404NotFound, GrainFakeFault.NotFound, "Recording not found");
        return null;
    }

    /// <summary>The request's JSON object ({} when empty), or null after answering 400.</summary>
    private async Task<JsonObject?> ReadBodyAsync(HttpContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.Body);
            var text = await reader.ReadToEndAsync(context.RequestAborted);
            if (string.IsNullOrWhiteSpace(text)) return [];
            if (JsonNode.Parse(text) is JsonObject body) return body;
        }
        catch (JsonException)
        {
        }
        await ErrorAsync(context, StatusCodes.Status400BadRequest, GrainFakeFault.BadRequest, "The body must be a JSON object");
        return null;
    }

    private async Task TooManyRequestsAsync(HttpContext context, GrainFakeFault fault, int retryAfterSeconds)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await ErrorAsync(context, StatusCodes.Status429TooManyRequests, fault, "Too many requests");
    }

    private async Task ErrorAsync(HttpContext context, int status, GrainFakeFault? fault, string message)
    {
        if (fault is { } served) Traffic.Served(served);
        context.Response.StatusCode = status;
        await JsonAsync(context, GrainFakeJson.Error(message));
    }

    private static async Task JsonAsync(HttpContext context, JsonNode body)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
