using CallImport.ImportRunner.Limits;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// How a group learns a vendor limit lower than declared, in one table: what was known, what happened → the
/// limit in force, the stable limit, when the next probe may start, and whether slots are paced.
/// Declared 30 per 1 s; the effective window is 1 s here to keep the arithmetic plain.
/// </summary>
public sealed class ThrottleDecisionTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly LimitGroup Group = new("overall", 30, TimeSpan.FromSeconds(1));
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan FirstBackoff = ThrottleDecision.FirstBackoffWindows * Window;
    private static readonly TimeSpan ProbeTime = ThrottleDecision.ProbeWindows * Window;

    private static LearnedLimit Declared => LearnedLimit.Declared(Group);

    /// <summary>Learned 20 at T0 (first refusal), nothing since.</summary>
    private static LearnedLimit Learned20 => new(20, 20, 1, FirstBackoff, T0 + FirstBackoff, T0, Paced: true);

    /// <summary>Probing 21 since the first backoff ran out.</summary>
    private static LearnedLimit Probing21 => Learned20 with { Limit = 21, NextProbe = T0 + FirstBackoff + ProbeTime };

    private static LearnedLimit Refused(LearnedLimit state, TimeSpan at, int sentBefore, TimeSpan? sentAt = null) =>
        ThrottleDecision.Throttled(state, Group, Window, T0 + at, T0 + (sentAt ?? at), sentBefore);

    private static LearnedLimit Slot(LearnedLimit state, TimeSpan at) => ThrottleDecision.BeforeSlot(state, Group, Window, T0 + at);

    private sealed record Case(Func<LearnedLimit> Next, int Limit, int Stable, TimeSpan NextProbe, bool Paced);

    private static TimeSpan S(double seconds) => TimeSpan.FromSeconds(seconds);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["declared, never refused, a slot → declared, bursts, no probe"] = new(
            () => Slot(Declared, S(500)), 30, 30, DateTimeOffset.MinValue - T0, false),
        ["declared, refused after 20 got through → 20 (just under, not halved), paced, probe after the first backoff"] = new(
            () => Refused(Declared, S(0), sentBefore: 20), 20, 20, FirstBackoff, true),
        ["declared, refused with more than the limit counted → one under the limit"] = new(
            () => Refused(Declared, S(0), sentBefore: 45), 29, 29, FirstBackoff, true),
        ["declared, refused after 1 got through (a vendor's random 429) → a tenth of the declared, never lower"] = new(
            () => Refused(Declared, S(0), sentBefore: 1), 3, 3, FirstBackoff, true),
        ["learned 20, refusal of a request sent before the lowering → the same episode, unchanged"] = new(
            () => Refused(Learned20, S(0.2), sentBefore: 27, sentAt: S(-0.01)), 20, 20, FirstBackoff, true),
        ["learned 20, refusal of a request sent at the very tick of the lowering → the same episode"] = new(
            () => Refused(Learned20, S(0.2), sentBefore: 27, sentAt: S(0)), 20, 20, FirstBackoff, true),
        ["learned 20, refusal of a request sent before the lowering, 18 through (the burst's other refusals now known) → 18, same backoff"] = new(
            () => Refused(Learned20, S(0.2), sentBefore: 18, sentAt: S(-0.01)), 18, 18, FirstBackoff, true),
        ["learned 20, refusal of the same episode with 1 through → a tenth of the declared, never lower"] = new(
            () => Refused(Learned20, S(0.2), sentBefore: 1, sentAt: S(0)), 3, 3, FirstBackoff, true),
        ["learned 20, refused again at 18 (vendor lowered further) → 18, first backoff again"] = new(
            () => Refused(Learned20, S(10), sentBefore: 18), 18, 18, S(10) + FirstBackoff, true),
        ["learned 20, a slot before the backoff ran out → unchanged"] = new(
            () => Slot(Learned20, FirstBackoff - S(0.001)), 20, 20, FirstBackoff, true),
        ["learned 20, a slot once the backoff ran out → probe 21"] = new(
            () => Slot(Learned20, FirstBackoff), 21, 20, FirstBackoff + ProbeTime, true),
        ["probing 21, refused → back to 20, twice the backoff"] = new(
            () => Refused(Probing21, FirstBackoff + S(1), sentBefore: 21), 20, 20, FirstBackoff + S(1) + 2 * FirstBackoff, true),
        ["probing 21, refused with only 19 through → 19"] = new(
            () => Refused(Probing21, FirstBackoff + S(1), sentBefore: 19), 19, 19, FirstBackoff + S(1) + 2 * FirstBackoff, true),
        ["probing 21, ran clean for the probe's windows → 21 kept, probe 23 (step doubled)"] = new(
            () => Slot(Probing21, FirstBackoff + ProbeTime), 23, 21, FirstBackoff + 2 * ProbeTime, true),
        ["probing 21, a slot inside the probe's windows → still probing"] = new(
            () => Slot(Probing21, FirstBackoff + S(1)), 21, 20, FirstBackoff + ProbeTime, true),
        ["probing 29 with a step of 8, ran clean → the probe stops at the declared 30"] = new(
            () => Slot(Slot(Probing21 with { Limit = 29, Stable = 21, Step = 8 }, FirstBackoff + ProbeTime), FirstBackoff + 2 * ProbeTime),
            30, 30, FirstBackoff + 2 * ProbeTime, true),
        ["learned 12 from a burst, 20 of it answered → 20 (what got through), same backoff"] = new(
            () => Admitted(Learned20 with { Limit = 12, Stable = 12 }, 20), 20, 20, FirstBackoff, true),
        ["learned 20, 15 of the burst answered so far → unchanged (never lowers)"] = new(
            () => Admitted(Learned20, 15), 20, 20, FirstBackoff, true),
        ["learned 12 from a burst, all 30 of it answered (the vendor refused at 30) → 29, one under the declared"] = new(
            () => Admitted(Learned20 with { Limit = 12, Stable = 12 }, 30), 29, 29, FirstBackoff, true),
        ["probing 21, 25 of the burst answered → still probing 21 (a probe decides for itself)"] = new(
            () => Admitted(Probing21, 25), 21, 20, FirstBackoff + ProbeTime, true),
    };

    private static LearnedLimit Admitted(LearnedLimit state, int admitted) => ThrottleDecision.Admitted(state, Group, admitted);

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Decide_KnownStateAndEvent_GivesLimitProbeAndPacing(string name)
    {
        var @case = Cases[name];

        var next = @case.Next();

        Assert.Equal((@case.Limit, @case.Stable, @case.Paced), (next.Limit, next.Stable, next.Paced));
        Assert.Equal(T0 + @case.NextProbe, next.NextProbe);
    }

    [Fact]
    public void RefusedProbes_WaitTwiceAsLongEachTime_UpToTheLongest()
    {
        var state = Learned20;
        var at = TimeSpan.Zero;
        var waits = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            at = state.NextProbe - T0;
            state = Slot(state, at);
            Assert.Equal(21, state.Limit);
            state = Refused(state, at + S(0.5), sentBefore: 20);
            waits.Add(state.NextProbe - (T0 + at + S(0.5)));
        }

        Assert.Equal([.. Enumerable.Range(1, 6).Select(i => (1 << i) * FirstBackoff), .. Enumerable.Repeat(ThrottleDecision.LongestBackoffWindows * Window, 4)], waits);
        Assert.Equal(20, state.Limit);
    }

    [Fact]
    public void PassingRefusal_RecoversTheDeclaredLimitInAFewProbes()
    {
        var state = Refused(Declared, S(0), sentBefore: 1);
        var at = state.NextProbe - T0;
        var slots = 0;
        while (state.Stable < Group.PermitLimit)
        {
            state = Slot(state, at);
            at = state.NextProbe - T0;
            slots++;
        }

        // 3 → 4 → 6 → 10 → 18 → 30, each kept after one probe's windows: the first backoff and 5 probes.
        Assert.Equal(6, slots);
        Assert.Equal(30, state.Limit);
        Assert.Equal(T0 + FirstBackoff + 5 * ProbeTime, T0 + at);
    }
}
