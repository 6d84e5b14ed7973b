using CallImport.ImportJobs;
using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace CallImport.Operator.Scheduling;

/// <summary>
/// A daily window resolved to local times in a time zone. The window opens each day at
/// <see cref="Start"/> and closes at <see cref="End"/>, on the next day when End ≤ Start (wrapping midnight);
/// Start = End means open all day.
/// Daylight-saving: a local time that does not exist (spring-forward gap) maps to the first valid instant
/// after the gap, so a 02:30 opening on that day opens when the clocks jump to 03:00; a local time that
/// happens twice (fall-back overlap) maps to the earlier instant.
/// </summary>
public sealed record ScheduleWindowTimes(LocalTime Start, LocalTime End, DateTimeZone Zone)
{
    private static readonly LocalTimePattern HourMinute = LocalTimePattern.CreateWithInvariantCulture("HH:mm");

    private static readonly ZoneLocalMappingResolver Resolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    public bool IsAllDay => Start == End;

    /// <summary>The ImportJob's window, or the operator's default when it has none.</summary>
    /// <returns>The window, or null with a sentence for a person in <paramref name="problem"/>.</returns>
    public static ScheduleWindowTimes? Resolve(ScheduleWindow? window, OperatorSettings settings, out string? problem)
    {
        var (start, end, zoneId, origin) = window is null
            ? (settings.DefaultWindowStart, settings.DefaultWindowEnd, settings.DefaultTimeZone, "the operator's default window")
            : (window.Start, window.End, window.TimeZone, "spec.schedule.window");
        var parsedStart = HourMinute.Parse(start);
        var parsedEnd = HourMinute.Parse(end);
        var zone = DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId);
        problem = (parsedStart.Success, parsedEnd.Success, zone) switch
        {
            (false, _, _) => $"The start '{start}' of {origin} is not a time HH:mm.",
            (_, false, _) => $"The end '{end}' of {origin} is not a time HH:mm.",
            (_, _, null) => $"The time zone '{zoneId}' of {origin} is not an IANA time zone (e.g. Europe/Berlin).",
            _ => null,
        };
        return problem is null ? new ScheduleWindowTimes(parsedStart.Value, parsedEnd.Value, zone!) : null;
    }

    /// <summary>Whether the window is open at <paramref name="now"/>, when it closes, and when it next opens.</summary>
    public ScheduleWindowState Evaluate(DateTimeOffset now)
    {
        if (IsAllDay)
            return new ScheduleWindowState(true, null, null);

        var instant = Instant.FromDateTimeOffset(now);
        var today = instant.InZone(Zone).Date;
        Instant? end = null;
        Instant? next = null;
        // Yesterday's window may still be open (wrapping); tomorrow's opening is always after now.
        for (var day = today.PlusDays(-1); day <= today.PlusDays(1); day = day.PlusDays(1))
        {
            var (opens, closes) = Occurrence(day);
            if (opens <= instant && instant < closes && (end is null || closes > end))
                end = closes;
            if (opens > instant && (next is null || opens < next))
                next = opens;
        }
        return new ScheduleWindowState(end is not null, end?.ToDateTimeOffset(), next?.ToDateTimeOffset());
    }

    /// <summary><paramref name="at"/> itself when the window is open then, else the next opening.</summary>
    public DateTimeOffset FirstOpenAtOrAfter(DateTimeOffset at)
    {
        var state = Evaluate(at);
        return state.IsOpen ? at : state.NextWindowStart!.Value;
    }

    private (Instant Opens, Instant Closes) Occurrence(LocalDate day)
    {
        var closingDay = End <= Start ? day.PlusDays(1) : day;
        return ((day + Start).InZone(Zone, Resolver).ToInstant(), (closingDay + End).InZone(Zone, Resolver).ToInstant());
    }
}
