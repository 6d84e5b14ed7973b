using CallImport.ImportRunner.Platforms;
using CallImport.ImportRunner.Platforms.RingCentral;

namespace CallImport.ImportRunner.Tests.Platforms.RingCentral;

public sealed class RingCentralListFilterTests
{
    private static readonly DateTimeOffset From = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static CallQuery Query(params (string Key, string Value)[] filters) => new(From, To, filters.ToDictionary(f => f.Key, f => f.Value));

    [Fact]
    public void FirstPage_IsAccountWide_Detailed_AndAlwaysSendsDateFrom()
    {
        var page = RingCentralListFilter.FirstPage(Query());

        Assert.StartsWith("restapi/v1.0/account/~/call-log?", page, StringComparison.Ordinal);
        Assert.Contains("view=Detailed", page, StringComparison.Ordinal);
        Assert.Contains("type=Voice", page, StringComparison.Ordinal);
        Assert.Contains("dateFrom=2025-01-01T00%3A00%3A00.000Z", page, StringComparison.Ordinal);
        Assert.Contains("dateTo=2026-01-01T00%3A00%3A00.000Z", page, StringComparison.Ordinal);
        Assert.Contains($"perPage={RingCentralApi.PerPage}", page, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtensionAndDirection_ListOneExtensionsCallLog_InOneDirection()
    {
        var page = RingCentralListFilter.FirstPage(Query(("extensionId", "62264425004"), ("direction", "Outbound")));

        Assert.StartsWith("restapi/v1.0/account/~/extension/62264425004/call-log?", page, StringComparison.Ordinal);
        Assert.Contains("direction=Outbound", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("colour", "blue", "Unknown RingCentral filter 'colour'. Supported filters: direction, extensionId.")]
    [InlineData("direction", "inbound", "must be one of Inbound, Outbound, not 'inbound'")]
    [InlineData("extensionId", "101 OR 1=1", "must be an extension's numeric id")]
    public void BadFilter_IsRefusedBeforeAnyRequest_NamingTheFix(string key, string value, string expected)
    {
        var failure = Assert.Throws<ArgumentException>(() => RingCentralListFilter.FirstPage(Query((key, value))));

        Assert.Contains(expected, failure.Message, StringComparison.Ordinal);
    }
}
