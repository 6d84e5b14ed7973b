using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Processing;

namespace CallImport.ImportRunner.Tests.Processing;

public sealed class MetadataNormaliserTests
{
    private static readonly MetadataNormaliser Normaliser = new(["acme.com"]);
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 15, 0, 0, TimeSpan.FromHours(1));

    [Fact]
    public void EmailDomain_DecidesAffiliation_WhenThePlatformDoesNotSay()
    {
        var call = Normaliser.Normalise(new SourceCall
        {
            SourceCallId = "1",
            Participants = [new("Ann", "ann@ACME.com"), new("Bob", "bob@sales.acme.com"), new("Cy", "cy@client.io"), new("Dee", null)],
        });
        Assert.Equal(["internal", "internal", "external", "unknown"], call.Participants.Select(p => p.Affiliation));
        Assert.Equal("ann@acme.com", call.Participants[0].Email);
    }

    [Fact]
    public void PlatformAffiliation_WinsOverTheDomain()
    {
        var call = Normaliser.Normalise(new SourceCall { SourceCallId = "1", Participants = [new("Ann", "ann@acme.com", Affiliation.External)] });
        Assert.Equal("external", call.Participants[0].Affiliation);
    }

    [Fact]
    public void CompleteMetadata_IsFull_AndStartIsUtc()
    {
        var call = Normaliser.Normalise(new SourceCall
        {
            SourceCallId = "1", Title = " Demo ", StartedAt = Start, Duration = TimeSpan.FromSeconds(90.4),
            Participants = [new("Ann", "ann@acme.com"), new("Cy", "cy@client.io")],
        });
        Assert.Equal((MetadataQuality.Full, "Demo", 90, TimeSpan.Zero), (call.Quality, call.Title, call.DurationSeconds, call.StartedAt!.Value.Offset));
    }

    [Fact]
    public void UnknownParticipantSide_MakesItPartial()
    {
        var call = Normaliser.Normalise(new SourceCall
        {
            SourceCallId = "1", Title = "Demo", StartedAt = Start, Duration = TimeSpan.FromMinutes(1), Participants = [new("Dee", null)],
        });
        Assert.Equal(MetadataQuality.Partial, call.Quality);
    }

    [Fact]
    public void FileOnly_IsMinimal()
    {
        Assert.Equal(MetadataQuality.Minimal, Normaliser.Normalise(new SourceCall { SourceCallId = "f", Title = "recording.mp3" }).Quality);
    }

    [Fact]
    public void DuplicateParticipants_AreMerged_AndBlankOnesDropped()
    {
        var call = Normaliser.Normalise(new SourceCall
        {
            SourceCallId = "1", Participants = [new("Ann", "ann@acme.com"), new("Ann B", "ANN@acme.com"), new(" ", null)],
        });
        Assert.Single(call.Participants);
    }
}
