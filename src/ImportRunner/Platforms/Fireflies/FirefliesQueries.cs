namespace CallImport.ImportRunner.Platforms.Fireflies;

/// <summary>
/// The GraphQL documents the import sends. Fireflies validates every field (an unknown one fails the whole query),
/// so each asks only for what the import reads.
/// </summary>
internal static class FirefliesQueries
{
    /// <summary>The credentials check: the key's own user.</summary>
    public const string User = "query User { user { user_id } }";

    /// <summary>A listing page: ids and start times only; the rest comes with each call's detail.</summary>
    public static string Transcripts(IReadOnlyCollection<string> filterArguments)
    {
        var declarations = string.Concat(filterArguments.Select(a => $", ${a}: {FirefliesListFilter.GraphQLType(a)}"));
        var arguments = string.Concat(filterArguments.Select(a => $", {a}: ${a}"));
        return $"query Transcripts($fromDate: DateTime, $toDate: DateTime, $limit: Int, $skip: Int{declarations}) "
            + $"{{ transcripts(fromDate: $fromDate, toDate: $toDate, limit: $limit, skip: $skip{arguments}) {{ id date }} }}";
    }

    /// <summary>
    /// One meeting whole: metadata, participants, processing state, transcript sentences and (unless the plan refuses
    /// it) the pre-signed <c>audio_url</c>, in one request.
    /// </summary>
    public static string Transcript(bool withAudio) =>
        "query Transcript($id: String!) { transcript(id: $id) { id title date duration organizer_email participants "
        + "meeting_attendees { displayName email } transcript_url " + (withAudio ? "audio_url " : "")
        + "meeting_info { summary_status } sentences { speaker_name text start_time end_time } } }";

    /// <summary>A fresh <c>audio_url</c> alone, right before a download whose address is stale or was refused.</summary>
    public const string TranscriptAudio = "query TranscriptAudio($id: String!) { transcript(id: $id) { audio_url } }";
}
