using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CallImport.Testing.Fakes.Grain;

/// <summary>How the fake answers one request: faults first, then auth and version, then the endpoint.</summary>
public sealed partial class GrainFake
{
    private static readonly HashSet<string> FilterKeys =
        ["after_datetime", "before_datetime", "participant_scope", "title_search", "team", "meeting_type"];

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var relative = path.StartsWith(BasePath, StringComparison.Ordinal) ? path[BasePath.Length..] : path;
        var (endpoint, id) = Classify(context.Request.Method, relative);
        Traffic.Received(context.Request.Method, relative, endpoint, _options.Time.GetUtcNow());
        await AnswerAsync(context, endpoint, id);
        Traffic.Answered(context.Response.StatusCode);
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
        if (ListQuery.From(body, out var error) is not { } query)
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

    /// <summary>The listing request's body: its filter (Grain's keys only), include and cursor.</summary>
    private sealed record ListQuery(
        DateTimeOffset? After, DateTimeOffset? Before, string? Scope, string? Title, string? Team, string? MeetingType,
        bool IncludeParticipants, GrainFakeCursor? Cursor)
    {
        public bool Matches(GrainFakeRecording r) =>
            (After is null || r.Start >= After) && (Before is null || r.Start < Before)
            && (Scope is null || (Scope == "external") == r.HasExternalParticipant)
            && (Title is null || r.Title.Contains(Title, StringComparison.OrdinalIgnoreCase))
            && (Team is null || string.Equals(r.TeamId, Team, StringComparison.OrdinalIgnoreCase))
            && (MeetingType is null || string.Equals(r.MeetingTypeId, MeetingType, StringComparison.OrdinalIgnoreCase));

        public static ListQuery? From(JsonObject body, out string error)
        {
            error = "";
            var filter = body["filter"] as JsonObject ?? [];
            if (body["filter"] is { } f && f is not JsonObject) return Fail("filter must be an object", out error);
            if (filter.Select(kv => kv.Key).FirstOrDefault(k => !FilterKeys.Contains(k)) is { } unknown)
                return Fail($"Unknown filter key '{unknown}'", out error);
            if (!TryText(filter, "after_datetime", out var afterText) || !TryText(filter, "before_datetime", out var beforeText)
                || !TryText(filter, "participant_scope", out var scope) || !TryText(filter, "title_search", out var title)
                || !TryText(filter, "team", out var team) || !TryText(filter, "meeting_type", out var meetingType)
                || !TryText(body, "cursor", out var cursorText))
                return Fail("filter values and cursor must be strings", out error);
            if (scope is not (null or "internal" or "external")) return Fail("participant_scope must be internal or external", out error);
            if (!TryTime(afterText, out var after) || !TryTime(beforeText, out var before)) return Fail("datetimes must be ISO 8601", out error);
            GrainFakeCursor? cursor = null;
            if (cursorText is not null && (cursor = GrainFakeCursor.Decode(cursorText)) is null) return Fail("Invalid cursor", out error);
            var include = body["include"]?["participants"]?.GetValueKind() == JsonValueKind.True;
            return new ListQuery(after, before, scope, title, team, meetingType, include, cursor);
        }

        private static ListQuery? Fail(string message, out string error)
        {
            error = message;
            return null;
        }

        private static bool TryText(JsonObject json, string key, out string? value)
        {
            value = null;
            var node = json[key];
            if (node is null) return true;
            if (node.GetValueKind() != JsonValueKind.String) return false;
            value = node.GetValue<string>();
            return true;
        }

        private static bool TryTime(string? text, out DateTimeOffset? time)
        {
            time = null;
            if (text is null) return true;
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
            time = parsed;
            return true;
        }
    }
}
