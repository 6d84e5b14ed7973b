namespace CallImport.ImportRunner.Platforms.Zoom;

/// <summary>
/// The day ranges a Zoom listing walks. Zoom lists by whole days (from/to inclusive, in a time zone it does
/// not state) and at most one month per request, silently narrowing a wider range; so the range is padded by
/// a day on each side and cut into windows of less than a month. Exact bounds are applied to each meeting's
/// start_time afterwards.
/// </summary>
internal static class ZoomListingWindows
{
    public static IEnumerable<(DateOnly From, DateOnly To)> For(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from) yield break;
        var first = DateOnly.FromDateTime(from.UtcDateTime).AddDays(-1);
        var last = DateOnly.FromDateTime(to.UtcDateTime.AddTicks(-1)).AddDays(1);
        for (var start = first; start <= last;)
        {
            var end = start.AddMonths(1).AddDays(-1);
            if (end > last) end = last;
            yield return (start, end);
            start = end.AddDays(1);
        }
    }
}
