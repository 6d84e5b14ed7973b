using System.Globalization;
using CallImport.ImportJobs;
using CallImport.Operator.Scheduling;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.Operator.Tests.Scheduling;

public sealed class ScheduleWindowTimesTests
{
    private static ScheduleWindowTimes CreateSut(string start, string end, string zone) =>
        ScheduleWindowTimes.Resolve(new ScheduleWindow { Start = start, End = end, TimeZone = zone }, new OperatorSettings(), out _)
        ?? throw new InvalidOperationException("window did not resolve");

    private static DateTimeOffset Utc(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    // zone, window start, window end, now (UTC), expected open, expected end (UTC) or "", expected next start (UTC)
    public static TheoryData<string, string, string, string, bool, string, string> Cases => new()
    {
        // Berlin, wrapping window, ordinary winter day: closed at noon, open after midnight.
        { "Europe/Berlin", "22:00", "06:00", "2026-01-15T12:00:00Z", false, "", "2026-01-15T21:00:00Z" },
        { "Europe/Berlin", "22:00", "06:00", "2026-01-15T23:00:00Z", true, "2026-01-16T05:00:00Z", "2026-01-16T21:00:00Z" },
        // Berlin spring forward (29 March 2026): opens 22:00 CET, closes 06:00 CEST, a 7-hour night.
        { "Europe/Berlin", "22:00", "06:00", "2026-03-29T03:30:00Z", true, "2026-03-29T04:00:00Z", "2026-03-29T20:00:00Z" },
        { "Europe/Berlin", "22:00", "06:00", "2026-03-29T04:00:00Z", false, "", "2026-03-29T20:00:00Z" },
        // Berlin fall back (25 October 2026): opens 22:00 CEST, closes 06:00 CET, a 9-hour night.
        { "Europe/Berlin", "22:00", "06:00", "2026-10-24T20:00:00Z", true, "2026-10-25T05:00:00Z", "2026-10-25T21:00:00Z" },
        { "Europe/Berlin", "22:00", "06:00", "2026-10-25T04:30:00Z", true, "2026-10-25T05:00:00Z", "2026-10-25T21:00:00Z" },
        // Berlin: 02:30 does not exist on 29 March; the window opens when the clocks jump to 03:00 CEST.
        { "Europe/Berlin", "02:30", "04:00", "2026-03-29T00:30:00Z", false, "", "2026-03-29T01:00:00Z" },
        { "Europe/Berlin", "02:30", "04:00", "2026-03-29T01:30:00Z", true, "2026-03-29T02:00:00Z", "2026-03-30T00:30:00Z" },
        // Berlin: 02:30 happens twice on 25 October; the earlier (CEST) one counts.
        { "Europe/Berlin", "02:30", "05:00", "2026-10-25T00:00:00Z", false, "", "2026-10-25T00:30:00Z" },
        { "Europe/Berlin", "02:30", "05:00", "2026-10-25T00:30:00Z", true, "2026-10-25T04:00:00Z", "2026-10-26T01:30:00Z" },
        // New York spring forward (8 March 2026): opens 20:00 EST, closes 08:00 EDT.
        { "America/New_York", "20:00", "08:00", "2026-03-08T01:00:00Z", true, "2026-03-08T12:00:00Z", "2026-03-09T00:00:00Z" },
        { "America/New_York", "20:00", "08:00", "2026-03-08T11:59:00Z", true, "2026-03-08T12:00:00Z", "2026-03-09T00:00:00Z" },
        { "America/New_York", "20:00", "08:00", "2026-03-08T12:00:00Z", false, "", "2026-03-09T00:00:00Z" },
        // New York fall back (1 November 2026): opens 20:00 EDT, closes 08:00 EST (13:00Z, not 12:00Z).
        { "America/New_York", "20:00", "08:00", "2026-11-01T12:30:00Z", true, "2026-11-01T13:00:00Z", "2026-11-02T01:00:00Z" },
        // New York: 02:30 skipped on 8 March (opens 03:00 EDT); 01:30 twice on 1 November (the EDT one).
        { "America/New_York", "02:30", "05:00", "2026-03-08T06:00:00Z", false, "", "2026-03-08T07:00:00Z" },
        { "America/New_York", "01:30", "03:00", "2026-11-01T05:00:00Z", false, "", "2026-11-01T05:30:00Z" },
        { "America/New_York", "01:30", "03:00", "2026-11-01T06:45:00Z", true, "2026-11-01T08:00:00Z", "2026-11-02T06:30:00Z" },
        // Sydney, southern hemisphere: DST ends 5 April (opens 22:00 AEDT, closes 06:00 AEST) ...
        { "Australia/Sydney", "22:00", "06:00", "2026-04-04T19:30:00Z", true, "2026-04-04T20:00:00Z", "2026-04-05T12:00:00Z" },
        // ... and starts 4 October (opens 22:00 AEST, closes 06:00 AEDT, so 19:30Z is already past the close).
        { "Australia/Sydney", "22:00", "06:00", "2026-10-03T18:30:00Z", true, "2026-10-03T19:00:00Z", "2026-10-04T11:00:00Z" },
        { "Australia/Sydney", "22:00", "06:00", "2026-10-03T19:30:00Z", false, "", "2026-10-04T11:00:00Z" },
        // A window that does not wrap, during the day.
        { "Europe/Berlin", "09:00", "17:00", "2026-06-01T10:00:00Z", true, "2026-06-01T15:00:00Z", "2026-06-02T07:00:00Z" },
        { "Europe/Berlin", "09:00", "17:00", "2026-06-01T15:00:00Z", false, "", "2026-06-02T07:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_AtInstant_GivesOpenEndAndNextStart(string zone, string start, string end, string now, bool open, string expectedEnd, string expectedNext)
    {
        var state = CreateSut(start, end, zone).Evaluate(Utc(now));

        Assert.Equal(open, state.IsOpen);
        Assert.Equal(expectedEnd == "" ? null : Utc(expectedEnd), state.CurrentWindowEnd);
        Assert.Equal(Utc(expectedNext), state.NextWindowStart);
    }

    [Fact]
    public void Evaluate_StartEqualsEnd_OpenAllDayWithNoStop()
    {
        var state = CreateSut("00:00", "00:00", "Europe/Berlin").Evaluate(Utc("2026-03-29T01:30:00Z"));

        Assert.Equal(new ScheduleWindowState(true, null, null), state);
    }

    [Theory]
    [InlineData("America/New_York", "2026-03-06T00:00:00Z")]
    [InlineData("America/New_York", "2026-10-30T00:00:00Z")]
    [InlineData("Europe/Berlin", "2026-03-27T00:00:00Z")]
    [InlineData("Europe/Berlin", "2026-10-23T00:00:00Z")]
    [InlineData("Australia/Sydney", "2026-04-02T00:00:00Z")]
    [InlineData("Australia/Sydney", "2026-10-01T00:00:00Z")]
    public void Evaluate_ClockWalkedAcrossDaylightSavingChange_OpeningsAndClosingsAreConsistent(string zone, string from)
    {
        var window = CreateSut("21:30", "02:30", zone);
        var clock = new FakeTimeProvider(Utc(from));
        var stop = clock.GetUtcNow().AddDays(5);
        var openings = 0;
        for (; clock.GetUtcNow() < stop; clock.Advance(TimeSpan.FromMinutes(10)))
        {
            var now = clock.GetUtcNow();
            var state = window.Evaluate(now);
            Assert.True(state.NextWindowStart > now, $"next start {state.NextWindowStart} not after {now}");
            Assert.True(window.Evaluate(state.NextWindowStart!.Value).IsOpen, $"not open at its own next start {state.NextWindowStart}");
            Assert.False(window.Evaluate(state.NextWindowStart.Value.AddMinutes(-1)).IsOpen, $"already open before {state.NextWindowStart}");
            if (state.IsOpen)
            {
                Assert.True(state.CurrentWindowEnd > now, $"end {state.CurrentWindowEnd} not after {now}");
                Assert.False(window.Evaluate(state.CurrentWindowEnd!.Value).IsOpen, $"still open at its own end {state.CurrentWindowEnd}");
                var previous = window.Evaluate(now.AddMinutes(-10));
                if (!previous.IsOpen)
                    openings++;
            }
        }
        Assert.InRange(openings, 4, 6);
    }

    [Fact]
    public void Resolve_NoWindow_UsesOperatorDefaultInItsZone()
    {
        var settings = new OperatorSettings { DefaultWindowStart = "20:00", DefaultWindowEnd = "08:00", DefaultTimeZone = "Europe/Berlin" };

        var window = ScheduleWindowTimes.Resolve(null, settings, out var problem);

        Assert.Null(problem);
        Assert.NotNull(window);
        // 19:30 CET is closed; the default window opens at 20:00 CET = 19:00Z.
        var state = window.Evaluate(Utc("2026-01-15T18:30:00Z"));
        Assert.False(state.IsOpen);
        Assert.Equal(Utc("2026-01-15T19:00:00Z"), state.NextWindowStart);
    }

    [Theory]
    [InlineData("20:00", "08:00", "Mars/Olympus_Mons", "time zone 'Mars/Olympus_Mons'")]
    [InlineData("25:00", "08:00", "UTC", "start '25:00'")]
    [InlineData("20:00", "8am", "UTC", "end '8am'")]
    public void Resolve_InvalidWindow_SaysWhatIsWrong(string start, string end, string zone, string expected)
    {
        var window = ScheduleWindowTimes.Resolve(new ScheduleWindow { Start = start, End = end, TimeZone = zone }, new OperatorSettings(), out var problem);

        Assert.Null(window);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void FirstOpenAtOrAfter_ClosedInstant_GivesNextOpening()
    {
        var window = CreateSut("20:00", "08:00", "America/New_York");

        Assert.Equal(Utc("2026-01-15T01:00:00Z"), window.FirstOpenAtOrAfter(Utc("2026-01-15T01:00:00Z")));
        Assert.Equal(Utc("2026-01-16T01:00:00Z"), window.FirstOpenAtOrAfter(Utc("2026-01-15T14:00:00Z")));
    }
}
