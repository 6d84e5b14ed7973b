using CallImport.LocalControlPlane.Tables;

namespace CallImport.LocalControlPlane.Tests;

public sealed class AgeTextTests
{
    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(312, "5m12s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 - 1, "179m")]
    [InlineData(3 * 3600 + 5 * 60, "3h5m")]
    [InlineData(8 * 3600, "8h")]
    [InlineData(50 * 3600, "2d2h")]
    [InlineData(9 * 86400, "9d")]
    [InlineData(3 * 365 * 86400 + 86400, "3y1d")]
    [InlineData(9 * 365 * 86400, "9y")]
    public void Humanize_MatchesKubernetesDurations(long seconds, string expected) =>
        Assert.Equal(expected, AgeText.Humanize(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Since_NoTimestamp_IsUnknown() =>
        Assert.Equal("<unknown>", AgeText.Since(null, DateTimeOffset.UnixEpoch));
}
