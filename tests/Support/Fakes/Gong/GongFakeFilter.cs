using System.Text.Json;
using System.Text.Json.Nodes;

namespace CallImport.Testing.Fakes.Gong;

/// <summary>
/// The <c>filter</c> of Gong's POST endpoints (and the query of <c>GET /v2/calls</c>): a date range
/// (to exclusive), a workspace, call ids and primary users. Ids must be strings: Gong's ids exceed what
/// JSON numbers carry exactly.
/// </summary>
internal sealed record GongFakeFilter(
    DateTimeOffset? From,
    DateTimeOffset? To,
    string? WorkspaceId,
    IReadOnlyList<string>? CallIds,
    IReadOnlyList<string>? PrimaryUserIds)
{
    public bool TranscriptsOnly { get; init; }

    private readonly HashSet<string>? _callIds = CallIds is null ? null : new HashSet<string>(CallIds, StringComparer.Ordinal);

    /// <summary>What a cursor is bound to.</summary>
    public string Key =>
        $"{From:o}|{To:o}|{WorkspaceId}|{string.Join(',', CallIds ?? [])}|{string.Join(',', PrimaryUserIds ?? [])}";

    public bool Matches(GongFakeCall call) =>
        (From is not { } from || call.MatchedAt >= from)
        && (To is not { } to || call.MatchedAt < to)
        && (WorkspaceId is null || call.WorkspaceId == WorkspaceId)
        && (_callIds is null || _callIds.Contains(call.Id))
        && (PrimaryUserIds is null || PrimaryUserIds.Contains(call.PrimaryUserId, StringComparer.Ordinal))
        && (!TranscriptsOnly || call.HasTranscript);

    public static GongFakeFilter? Parse(JsonNode? node, out string error)
    {
        error = "";
        if (node is not JsonObject filter) return Fail("filter is required", out error);
        if (!Text(filter, "fromDateTime", out var fromText) || !Text(filter, "toDateTime", out var toText) || !Text(filter, "workspaceId", out var workspace))
            return Fail("fromDateTime, toDateTime and workspaceId must be strings", out error);
        if (!GongFake.TryTime(fromText, out var from) || !GongFake.TryTime(toText, out var to))
            return Fail("fromDateTime and toDateTime must be ISO-8601 date-times", out error);
        if (!Ids(filter, "callIds", out var callIds) || !Ids(filter, "primaryUserIds", out var users))
            return Fail("callIds and primaryUserIds must be arrays of strings", out error);
        if (callIds is null && from is null && to is null)
            return Fail("filter needs callIds or fromDateTime/toDateTime", out error);
        return new GongFakeFilter(from, to, workspace, callIds, users);
    }

    private static GongFakeFilter? Fail(string message, out string error)
    {
        error = message;
        return null;
    }

    private static bool Text(JsonObject json, string key, out string? value)
    {
        value = null;
        var node = json[key];
        if (node is null) return true;
        if (node.GetValueKind() != JsonValueKind.String) return false;
        value = node.GetValue<string>();
        return true;
    }

    private static bool Ids(JsonObject json, string key, out List<string>? ids)
    {
        ids = null;
        var node = json[key];
        if (node is null) return true;
        if (node is not JsonArray array || array.Any(n => n?.GetValueKind() != JsonValueKind.String)) return false;
        ids = [.. array.Select(n => n!.GetValue<string>())];
        return true;
    }
}
