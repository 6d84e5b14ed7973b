using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.Fireflies;

namespace CallImport.ImportRunner.Tests.Platforms.Fireflies;

public sealed class FirefliesListFilterTests
{
    private static readonly DateTimeOffset From = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Validate_UnknownKey_NamesItAndTheSupportedOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => FirefliesListFilter.Validate(new Dictionary<string, string> { ["keyword"] = "pricing" }));

        Assert.Contains("'keyword'", error.Message, StringComparison.Ordinal);
        Assert.Contains("organizers, participants, user_id, mine", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_TwoFiltersFirefliesTakesOnlyOneOf_SaysKeepOne()
    {
        var error = Assert.Throws<ArgumentException>(() => FirefliesListFilter.Validate(
            new Dictionary<string, string> { ["organizers"] = "a@acme.com", ["mine"] = "true" }));

        Assert.Contains("only one of", error.Message, StringComparison.Ordinal);
        Assert.Contains("mine and organizers", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mine", "yes", "'true' or 'false'")]
    [InlineData("organizers", "alice", "'alice' is not one")]
    [InlineData("user_id", " ", "is empty")]
    public void Validate_BadValue_SaysWhatItWants(string key, string value, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => FirefliesListFilter.Validate(new Dictionary<string, string> { [key] = value }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Variables_RangeInIsoMilliseconds_ListsAsArrays_MineAsBoolean()
    {
        var organizers = FirefliesListFilter.Variables(new CallQuery(From, To, new Dictionary<string, string> { ["organizers"] = "a@acme.com, b@acme.com" }), 50, 100);
        var mine = FirefliesListFilter.Variables(new CallQuery(From, To, new Dictionary<string, string> { ["mine"] = "true" }), 50, 0);

        Assert.Equal("2026-01-01T00:00:00.000Z", organizers["fromDate"]);
        Assert.Equal("2026-02-01T00:00:00.000Z", organizers["toDate"]);
        Assert.Equal((50, 100), ((int)organizers["limit"]!, (int)organizers["skip"]!));
        Assert.Equal(["a@acme.com", "b@acme.com"], Assert.IsType<List<string>>(organizers["organizers"]));
        Assert.Equal(true, mine["mine"]);
    }

    [Fact]
    public void Transcripts_DeclaresOnlyTheFiltersGiven_WithTheirGraphQLTypes()
    {
        var plain = FirefliesQueries.Transcripts([]);
        var filtered = FirefliesQueries.Transcripts(["participants"]);

        Assert.DoesNotContain("participants", plain, StringComparison.Ordinal);
        Assert.Contains("$participants: [String!]", filtered, StringComparison.Ordinal);
        Assert.Contains("participants: $participants", filtered, StringComparison.Ordinal);
        Assert.Contains("{ id date }", plain, StringComparison.Ordinal);
    }
}
