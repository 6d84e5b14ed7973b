namespace CallImport.Testing.Fakes.Fireflies;

/// <summary>
/// The part of Fireflies' GraphQL schema the fake serves (docs.fireflies.ai: Query, Transcript, Sentence, MeetingInfo,
/// MeetingAttendee, User). Fireflies validates every query against its schema before running it: an unknown field or
/// argument, a selection on a scalar or none on an object fails the whole query with GRAPHQL_VALIDATION_FAILED.
/// </summary>
public static class FirefliesFakeSchema
{
    /// <summary>Type → field → the field's object type (null: a scalar or a list of scalars).</summary>
    private static readonly Dictionary<string, Dictionary<string, string?>> Types = new(StringComparer.Ordinal)
    {
        ["Query"] = Fields(("user", "User"), ("users", "User"), ("transcripts", "Transcript"), ("transcript", "Transcript")),
        ["Transcript"] = Fields(
            ("id", null), ("title", null), ("date", null), ("dateString", null), ("duration", null), ("organizer_email", null),
            ("host_email", null), ("participants", null), ("fireflies_users", null), ("transcript_url", null), ("audio_url", null),
            ("video_url", null), ("meeting_link", null), ("calendar_id", null), ("cal_id", null), ("calendar_type", null), ("privacy", null),
            ("meeting_attendees", "MeetingAttendee"), ("speakers", "Speaker"), ("sentences", "Sentence"), ("meeting_info", "MeetingInfo"),
            ("user", "User")),
        ["MeetingAttendee"] = Fields(("displayName", null), ("email", null), ("phoneNumber", null), ("name", null), ("location", null)),
        ["Speaker"] = Fields(("id", null), ("name", null)),
        ["Sentence"] = Fields(("index", null), ("speaker_name", null), ("speaker_id", null), ("text", null), ("raw_text", null), ("start_time", null), ("end_time", null)),
        ["MeetingInfo"] = Fields(("fred_joined", null), ("silent_meeting", null), ("summary_status", null)),
        ["User"] = Fields(("user_id", null), ("email", null), ("name", null), ("num_transcripts", null), ("recent_meeting", null),
            ("minutes_consumed", null), ("is_admin", null), ("integrations", null)),
    };

    /// <summary>The arguments of the root fields (Fireflies' transcripts query and its filters).</summary>
    private static readonly Dictionary<string, string[]> Arguments = new(StringComparer.Ordinal)
    {
        ["user"] = ["id"],
        ["users"] = [],
        ["transcript"] = ["id"],
        ["transcripts"] = ["title", "date", "fromDate", "toDate", "limit", "skip", "host_email", "organizer_email", "participant_email",
            "user_id", "mine", "organizers", "participants", "keyword", "channel_id"],
    };

    /// <summary>The first validation error of a query, as GraphQL words it; null when the query is valid.</summary>
    public static string? Validate(IReadOnlyList<GraphQLField> selection, string type = "Query")
    {
        foreach (var field in selection)
        {
            if (!Types[type].TryGetValue(field.Name, out var child))
                return $"Cannot query field \"{field.Name}\" on type \"{type}\".";
            if (type == "Query" && field.Arguments.Keys.FirstOrDefault(a => !Arguments[field.Name].Contains(a)) is { } unknown)
                return $"Unknown argument \"{unknown}\" on field \"Query.{field.Name}\".";
            if (type != "Query" && field.Arguments.Count > 0)
                return $"Unknown argument \"{field.Arguments.Keys.First()}\" on field \"{type}.{field.Name}\".";
            if (child is null && field.Selection is not null)
                return $"Field \"{field.Name}\" must not have a selection since type \"{type}.{field.Name}\" has no subfields.";
            if (child is not null && field.Selection is null)
                return $"Field \"{field.Name}\" of type \"{child}\" must have a selection of subfields. Did you mean \"{field.Name} {{ ... }}\"?";
            if (child is not null && Validate(field.Selection!, child) is { } inner) return inner;
        }
        return null;
    }

    private static Dictionary<string, string?> Fields(params (string Name, string? Type)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Type, StringComparer.Ordinal);
}
