using System.Globalization;
using System.Text.Json.Nodes;

namespace CallImport.Testing.Fakes.Gong;

/// <summary>Calls in Gong API v2's wire shapes (camelCase, ISO 8601 times with the company's offset, durations in seconds).</summary>
internal static class GongFakeJson
{
    /// <summary>The call object of <c>GET /v2/calls</c>, also <c>metaData</c> in <c>/v2/calls/extensive</c>.</summary>
    public static JsonObject MetaData(GongFakeCall c) => new()
    {
        ["id"] = c.Id,
        ["url"] = c.Url,
        ["title"] = c.Title,
        ["scheduled"] = c.Scheduled is { } scheduled ? Time(scheduled, c.WorkspaceId) : null,
        ["started"] = Time(c.Started, c.WorkspaceId),
        ["duration"] = c.DurationSeconds,
        ["primaryUserId"] = c.PrimaryUserId,
        ["direction"] = c.Direction,
        ["system"] = c.System,
        ["scope"] = c.Scope,
        ["media"] = c.Video is not null ? "Video" : "Audio",
        ["language"] = "eng",
        ["workspaceId"] = c.WorkspaceId,
        ["sdrDisposition"] = null,
        ["clientUniqueId"] = null,
        ["customData"] = null,
        ["purpose"] = null,
        ["meetingUrl"] = c.System == "Zoom" ? $"https://acme.zoom.us/j/{c.Id[..10]}" : null,
        ["isPrivate"] = c.IsPrivate,
        ["calendarEventId"] = null,
    };

    public static JsonObject Extensive(GongFakeCall c, bool parties, JsonObject? media)
    {
        var json = new JsonObject { ["metaData"] = MetaData(c) };
        if (parties) json["parties"] = new JsonArray([.. c.Parties.Select(Party)]);
        if (media is not null) json["media"] = media;
        return json;
    }

    /// <summary>A record whose id is intact but whose times, duration and parties have the wrong types.</summary>
    public static JsonObject MalformedExtensive(GongFakeCall c) => new()
    {
        ["metaData"] = new JsonObject
        {
            ["id"] = c.Id,
            ["title"] = new JsonArray(c.Title),
            ["started"] = 1_700_000_000,
            ["duration"] = "about an hour",
            ["isPrivate"] = "no",
        },
        ["parties"] = new JsonObject { ["error"] = "unavailable" },
    };

    private static JsonObject Party(GongFakeParty p) => new()
    {
        ["id"] = p.Id,
        ["emailAddress"] = p.EmailAddress,
        ["name"] = p.Name,
        ["title"] = p.Title,
        ["userId"] = p.UserId,
        ["speakerId"] = p.SpeakerId,
        ["context"] = new JsonArray(),
        ["affiliation"] = p.Affiliation,
        ["phoneNumber"] = p.PhoneNumber,
        ["methods"] = new JsonArray("Invitee", "Attendee"),
    };

    public static JsonObject CallTranscript(GongFakeCall c) => new()
    {
        ["callId"] = c.Id,
        ["transcript"] = new JsonArray([.. c.Transcript.Select(m => new JsonObject
        {
            ["speakerId"] = m.SpeakerId,
            ["topic"] = m.Topic,
            ["sentences"] = new JsonArray([.. m.Sentences.Select(s => new JsonObject { ["start"] = s.Start, ["end"] = s.End, ["text"] = s.Text })]),
        })]),
    };

    public static JsonObject Records(int total, int pageSize, int pageNumber, string? cursor)
    {
        var records = new JsonObject
        {
            ["totalRecords"] = total,
            ["currentPageSize"] = pageSize,
            ["currentPageNumber"] = pageNumber,
        };
        if (cursor is not null) records["cursor"] = cursor;
        return records;
    }

    /// <summary>Gong's error body: a request id for support and a list of messages.</summary>
    public static JsonObject Error(string requestId, string message) => new()
    {
        ["requestId"] = requestId,
        ["errors"] = new JsonArray(message),
    };

    /// <summary>Gong writes times in the company's zone; workspaces here differ so clients must honour offsets.</summary>
    public static string Time(DateTimeOffset time, string workspaceId)
    {
        var offset = workspaceId.EndsWith('0') ? TimeSpan.FromHours(-8) : TimeSpan.FromHours(1);
        return time.ToOffset(offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }
}
