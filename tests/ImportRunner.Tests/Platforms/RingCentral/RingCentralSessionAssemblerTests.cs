using System.Text.Json;
using CallImport.ImportRunner.Platforms.RingCentral;

namespace CallImport.ImportRunner.Tests.Platforms.RingCentral;

/// <summary>Records newest first, page after page, into telephony sessions: each handed out once, whole.</summary>
public sealed class RingCentralSessionAssemblerTests
{
    private static readonly DateTimeOffset Noon = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    private static RingCentralListedRecord Record(string id, string session, DateTimeOffset start) =>
        RingCentralListedRecord.From(JsonDocument.Parse($$"""{"id":"{{id}}","telephonySessionId":"{{session}}","startTime":"{{start:O}}"}""").RootElement)!;

    [Fact]
    public void SessionSplitAcrossPages_IsHandedOutOnce_WithAllItsRecords()
    {
        var assembler = new RingCentralSessionAssembler();
        var handedOut = new List<RingCentralSession>();

        handedOut.AddRange(assembler.Add(Record("in", "s-1", Noon.AddSeconds(2))));   // last record of page 1
        handedOut.AddRange(assembler.Add(Record("out", "s-1", Noon)));               // first record of page 2
        handedOut.AddRange(assembler.Add(Record("other", "s-2", Noon.AddHours(-7)))); // far older: s-1 is complete
        handedOut.AddRange(assembler.Flush());

        Assert.Equal(["s-1", "s-2"], handedOut.Select(s => s.Key));
        Assert.Equal(["in", "out"], handedOut[0].Records.Select(r => r.Id));
        Assert.Equal(Noon, handedOut[0].Start);
    }

    [Fact]
    public void SessionIsHeld_WhileLaterRecordsCouldStillBelongToIt()
    {
        var assembler = new RingCentralSessionAssembler();

        var first = assembler.Add(Record("a", "s-1", Noon));
        var second = assembler.Add(Record("b", "s-2", Noon.AddHours(-1)));

        Assert.Empty(first);
        Assert.Empty(second);
        Assert.Equal(2, assembler.Flush().Count);
    }

    [Fact]
    public void SameRecordTwice_OrARecordAfterItsSessionLeft_NeverMakesASecondCall()
    {
        var assembler = new RingCentralSessionAssembler();
        var handedOut = new List<RingCentralSession>();

        handedOut.AddRange(assembler.Add(Record("a", "s-1", Noon)));
        handedOut.AddRange(assembler.Add(Record("a", "s-1", Noon)));
        handedOut.AddRange(assembler.Add(Record("z", "s-9", Noon.AddHours(-8))));
        handedOut.AddRange(assembler.Add(Record("late", "s-1", Noon.AddHours(-9))));
        handedOut.AddRange(assembler.Flush());

        Assert.Equal(["s-1", "s-9"], handedOut.Select(s => s.Key).Order());
        Assert.Single(handedOut.Single(s => s.Key == "s-1").Records);
        Assert.Equal(1, assembler.LateRecords);
    }

    [Fact]
    public void RecordWithoutTelephonySession_IsItsOwnCall_AndOneWithoutIdIsLeftOut()
    {
        var noSession = RingCentralListedRecord.From(JsonDocument.Parse("""{"id":"solo","startTime":"2026-01-05T12:00:00Z"}""").RootElement);
        var noId = RingCentralListedRecord.From(JsonDocument.Parse("""{"telephonySessionId":"s-x"}""").RootElement);

        Assert.Equal("solo", noSession!.SessionKey);
        Assert.Null(noId);
    }
}
