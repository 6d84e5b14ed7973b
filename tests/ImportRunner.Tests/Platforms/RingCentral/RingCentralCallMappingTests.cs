using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.RingCentral;

namespace CallImport.ImportRunner.Tests.Platforms.RingCentral;

/// <summary>Call-log records (as RingCentral's docs show them) into one engagement per telephony session.</summary>
public sealed class RingCentralCallMappingTests
{
    private const string External = """
        {"id":"Y3s3mNqSXeJ7cUA","sessionId":"404769762004","telephonySessionId":"s-a1","startTime":"2026-01-05T10:00:00.000Z",
         "duration":125,"type":"Voice","direction":"Inbound","result":"Accepted",
         "from":{"phoneNumber":"+14155550123","name":"GLOBEX CORP","location":"San Francisco, CA"},
         "to":{"phoneNumber":"+16505551000","extensionNumber":"101","extensionId":"62264425004","name":"Ada Lovelace"},
         "recording":{"id":"5209304004","type":"Automatic","contentUri":"https://media.ringcentral.com/restapi/v1.0/account/1/recording/5209304004/content"},
         "legs":[{"from":{"phoneNumber":"+14155550123"},"to":{"extensionId":"62264425004","extensionNumber":"101"}}]}
        """;

    private const string InternalOut = """
        {"id":"A1","telephonySessionId":"s-b2","startTime":"2026-01-05T11:00:00.000Z","duration":300,"direction":"Outbound",
         "from":{"extensionId":"62264425004","extensionNumber":"101","name":"Ada Lovelace"},
         "to":{"extensionId":"62264426004","extensionNumber":"102","name":"Ben Okafor"},
         "recording":{"id":"77","contentUri":"https://media.ringcentral.com/restapi/v1.0/account/1/recording/77/content"}}
        """;

    private const string InternalIn = """
        {"id":"A2","telephonySessionId":"s-b2","startTime":"2026-01-05T11:00:02.000Z","duration":298,"direction":"Inbound",
         "from":{"extensionId":"62264425004","extensionNumber":"101","name":"Ada Lovelace"},
         "to":{"extensionId":"62264426004","extensionNumber":"102","name":"Ben Okafor"},
         "recording":{"id":"77","contentUri":"https://media.ringcentral.com/restapi/v1.0/account/1/recording/77/content"}}
        """;

    [Fact]
    public void ExternalCall_PhoneEndpoints_InternalWhenTheyHaveAnExtension()
    {
        var call = RingCentralCallMapping.ToSourceCall("s-a1", $"[{External}]");

        Assert.Equal("s-a1", call.SourceCallId);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero), call.StartedAt);
        Assert.Equal(TimeSpan.FromSeconds(125), call.Duration);
        Assert.Equal("Inbound call GLOBEX CORP → Ada Lovelace", call.Title);
        Assert.Equal(
            [new SourceParticipant("GLOBEX CORP", null, Affiliation.External, "+14155550123"), new SourceParticipant("Ada Lovelace", null, Affiliation.Internal, "+16505551000")],
            call.Participants);
        Assert.Equal("https://media.ringcentral.com/restapi/v1.0/account/1/recording/5209304004/content", call.MediaLocation);
        Assert.Equal("5209304004", call.ContextData[RingCentralCallMapping.RecordingIdKey]);
    }

    [Fact]
    public void InternalCall_TwoRecordsOneSession_IsOneCallWithOneRecording()
    {
        var call = RingCentralCallMapping.ToSourceCall("s-b2", $"[{InternalOut},{InternalIn}]");

        Assert.Equal("Internal call Ada Lovelace → Ben Okafor", call.Title);
        Assert.Equal(2, call.Participants.Count);
        Assert.All(call.Participants, p => Assert.Equal(Affiliation.Internal, p.Affiliation));
        Assert.Equal(TimeSpan.FromSeconds(300), call.Duration);
        Assert.Equal("77", call.ContextData[RingCentralCallMapping.RecordingIdKey]);
        Assert.False(call.ContextData.ContainsKey(RingCentralCallMapping.UnimportedRecordingsKey));
        Assert.Equal("A1,A2", call.ContextData[RingCentralCallMapping.RecordIdsKey]);
    }

    [Fact]
    public void CallUnder30Seconds_WithoutRecording_HasNoMedia()
    {
        var call = RingCentralCallMapping.ToSourceCall("s-c", """[{"id":"X","startTime":"2026-01-05T12:00:00Z","duration":12,"direction":"Inbound","result":"Missed","from":{"phoneNumber":"+1555"},"to":{"extensionId":"9"}}]""");

        Assert.Null(call.MediaLocation);
        Assert.Equal(TimeSpan.FromSeconds(12), call.Duration);
    }

    [Theory]
    [InlineData("""[{"id":"R9","startTime":"the day before yesterday","duration":5}]""", "record R9")]
    [InlineData("""[{"id":"R9","startTime":"2026-01-05T12:00:00Z","duration":"about a minute"}]""", "record R9")]
    [InlineData("""[{"id":"R9","duration":5}]""", "lacks its id or startTime")]
    [InlineData("""{"not":"an array"}""", "not a JSON array")]
    public void MalformedRecord_FailsTheCallPermanently_NamingTheRecord(string payload, string expected)
    {
        var failure = Assert.Throws<PermanentCallException>(() => RingCentralCallMapping.ToSourceCall("s-d", payload));

        Assert.Contains("malformed payload", failure.Message, StringComparison.Ordinal);
        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("day before yesterday", failure.Message, StringComparison.Ordinal);
    }
}
