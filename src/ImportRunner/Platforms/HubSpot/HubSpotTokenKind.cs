using CallImport.ImportJobs;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>Which kind of bearer token the Secret holds: it decides whether transcripts can be read.</summary>
internal enum HubSpotTokenKind
{
    /// <summary>A private app's static token: no access to the calling-transcripts API (OAuth only).</summary>
    PrivateApp,
    /// <summary>An OAuth access token (30 minutes; renewed when the refresh keys are given).</summary>
    OAuth,
}

/// <summary>
/// The Secret says which kind of token it holds, in this order: <c>tokenType</c> (<c>privateApp</c> or <c>oauth</c>);
/// the OAuth refresh keys (<c>refreshToken</c>, <c>clientId</c>, <c>clientSecret</c>) mean OAuth; else a token that
/// starts with <c>pat-</c> (HubSpot's private-app token format, e.g. <c>pat-na1-…</c>) is a private app's, any other OAuth.
/// </summary>
internal static class HubSpotTokenKinds
{
    public const string TokenTypeKey = "tokenType";
    public const string RefreshTokenKey = "refreshToken";
    public const string ClientIdKey = "clientId";
    public const string ClientSecretKey = "clientSecret";
    private static readonly string[] RefreshKeys = [RefreshTokenKey, ClientIdKey, ClientSecretKey];

    public static HubSpotTokenKind Of(PlatformCredentials credentials)
    {
        var refresh = HasRefreshKeys(credentials);
        // With the refresh keys every token comes from the refresh grant: the Secret need not hold one.
        var accessToken = refresh ? null : StaticToken(credentials);
        switch (credentials.Optional(TokenTypeKey))
        {
            case "privateApp" when refresh:
                throw new CredentialsRejectedException(
                    $"The credentials say '{TokenTypeKey}: privateApp' but carry OAuth refresh keys ({string.Join(", ", RefreshKeys)}): remove one or the other.");
            case "privateApp":
                return HubSpotTokenKind.PrivateApp;
            case "oauth":
                return HubSpotTokenKind.OAuth;
            case { } other:
                throw new CredentialsRejectedException($"The credentials' '{TokenTypeKey}' must be 'privateApp' or 'oauth', not '{other}'.");
        }
        if (accessToken is null) return HubSpotTokenKind.OAuth;
        return accessToken.StartsWith("pat-", StringComparison.Ordinal) ? HubSpotTokenKind.PrivateApp : HubSpotTokenKind.OAuth;
    }

    /// <summary>
    /// The Secret's <c>accessToken</c>, used as it is when the refresh keys are absent; without it, an error naming
    /// both ways to give HubSpot credentials.
    /// </summary>
    public static string StaticToken(PlatformCredentials credentials)
    {
        credentials.RequireKeys([HubSpotContextFactory.AccessTokenKey], ImportPlatforms.AlternativeSecretKeys(ImportPlatforms.HubSpot));
        return credentials.Require(HubSpotContextFactory.AccessTokenKey);
    }

    /// <summary>True when all three refresh keys are there; some but not all is a mistake worth naming.</summary>
    public static bool HasRefreshKeys(PlatformCredentials credentials)
    {
        var present = RefreshKeys.Where(k => credentials.Optional(k) is not null).ToList();
        if (present.Count is 0) return false;
        if (present.Count == RefreshKeys.Length) return true;
        throw new CredentialsRejectedException(
            $"The credentials have {string.Join(", ", present)} but not {string.Join(", ", RefreshKeys.Except(present))}: renewing an OAuth token needs all of {string.Join(", ", RefreshKeys)}.");
    }
}
