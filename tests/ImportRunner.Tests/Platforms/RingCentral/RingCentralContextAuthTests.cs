using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes.RingCentral;

namespace CallImport.ImportRunner.Tests.Platforms.RingCentral;

/// <summary>The JWT grant, single-use refresh tokens and expiry mid-import, through the real pipeline.</summary>
public sealed class RingCentralContextAuthTests
{
    [Fact]
    public async Task ValidCredentials_OneJwtGrant_ThenALightRequest()
    {
        await using var fake = await RingCentralFake.StartAsync();
        using var rc = new RingCentralTestContext(fake);

        await rc.Context.ValidateCredentialsAsync(CancellationToken.None);

        Assert.Equal(1, fake.TokensIssued);
        Assert.Equal([("POST", "/restapi/oauth/token", "Auth"), ("GET", "/restapi/v1.0/account/~/extension/~", "Light")],
            fake.Traffic.Requests.Select(r => (r.Method, r.Path, r.Group)));
    }

    [Fact]
    public async Task RefusedJwt_IsCredentialsRejected_NamingTheKeys_NeverTheSecrets()
    {
        await using var fake = await RingCentralFake.StartAsync();
        var credentials = new Dictionary<string, string>(fake.Credentials) { ["jwt"] = "eyJ-not-this-one" };
        using var rc = new RingCentralTestContext(fake, credentials);

        var refused = await Assert.ThrowsAsync<CredentialsRejectedException>(() => rc.Context.ValidateCredentialsAsync(CancellationToken.None));

        Assert.Contains("jwt", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ-not-this-one", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fake.Options.ClientSecret, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TokenExpiringMidImport_IsRenewedOnce_AndTheRequestSucceeds()
    {
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 8 });
        using var rc = new RingCentralTestContext(fake);
        await rc.Context.ValidateCredentialsAsync(CancellationToken.None);

        fake.ExpireAccessTokens();
        var calls = await rc.ListAsync(RingCentralTestContext.AllOfJanuary());

        Assert.Equal(8, calls.Count);
        Assert.Equal(1, fake.Traffic.Faults(RingCentralFakeFault.TokenExpired));
        Assert.Equal(2, fake.TokensIssued);
        Assert.Equal(0, fake.RefusedRefreshes);
    }

    [Fact]
    public async Task ShortLivedTokens_AreRefreshedAheadOfExpiry_EachRefreshTokenUsedOnce()
    {
        // 301 s tokens are renewed 5 minutes ahead: every request after the first second renews.
        await using var fake = await RingCentralFake.StartAsync(new RingCentralFakeOptions { CallCount = 30, MaxPerPage = 5, AccessTokenLifetime = TimeSpan.FromSeconds(301) });
        using var rc = new RingCentralTestContext(fake);

        await rc.Context.ValidateCredentialsAsync(CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(1.2));
        var calls = await rc.ListAsync(RingCentralTestContext.AllOfJanuary());

        Assert.Equal(30, calls.Count);
        Assert.True(fake.TokensIssued >= 2);
        Assert.Equal(0, fake.RefusedRefreshes);
        Assert.Equal(0, fake.Traffic.Faults(RingCentralFakeFault.Unauthorized) + fake.Traffic.Faults(RingCentralFakeFault.TokenExpired));
    }
}
