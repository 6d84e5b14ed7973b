using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CallImport.Testing.Fakes.Grain;

/// <summary>The listing request's body: its filter (Grain's keys only), include and cursor.</summary>
internal sealed record GrainFakeListQuery(
    DateTimeOffset? After, DateTimeOffset? Before, string? Scope, string? Title, string? Team, string? MeetingType,
    bool IncludeParticipants, GrainFakeCursor? Cursor)
{
    private static readonly HashSet<string> FilterKeys =
        ["after_datetime", "before_datetime", "participant_scope", "title_search", "team", "meeting_type"];

    public bool Matches(GrainFakeRecording r) =>
        (After is null || r.Start >= After) && (Before is null || r.Start < Before)
        && (Scope is null || (Scope == "external") == r.HasExternalParticipant)
        && (Title is null || r.Title.Contains(Title, StringComparison.OrdinalIgnoreCase))
        && (Team is null || string.Equals(r.TeamId, Team, StringComparison.OrdinalIgnoreCase))
        && (MeetingType is null || string.Equals(r.MeetingTypeId, MeetingType, StringComparison.OrdinalIgnoreCase));

    public static GrainFakeListQuery? From(JsonObject body, out string error)
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
        return new GrainFakeListQuery(after, before, scope, title, team, meetingType, include, cursor);
    }

    private static GrainFakeListQuery? Fail(string message, out string error)
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
