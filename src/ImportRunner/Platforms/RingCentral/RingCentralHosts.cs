namespace CallImport.ImportRunner.Platforms.RingCentral;

/// <summary>
/// RingCentral's two hosts: the platform (API and OAuth) and the media host that recordings' contentUri
/// names. With a <c>baseUrl</c> both become that one URL: the listing's next-page links and every contentUri
/// keep their path and query and take the baseUrl's scheme, host and port (so one local server can stand in
/// for both). Without it, a link is followed only to RingCentral's own hosts: the bearer token never goes elsewhere.
/// </summary>
internal sealed class RingCentralHosts(Uri platform, Uri? media)
{
    public Uri Platform { get; } = platform;

    public static RingCentralHosts From(PlatformCredentials credentials) =>
        credentials.Optional(PlatformCredentials.BaseUrlKey) is null
            ? new RingCentralHosts(new Uri(RingCentralApi.DefaultPlatformUrl), media: null)
            : new RingCentralHosts(credentials.BaseUrl(RingCentralApi.DefaultPlatformUrl), credentials.BaseUrl(RingCentralApi.DefaultPlatformUrl));

    /// <summary>A next-page link: its path and query on the platform host.</summary>
    public Uri PlatformLink(string link) => Rebase(Platform, link, "next-page link");

    /// <summary>Where to download a recording from its contentUri.</summary>
    public Uri MediaLink(string contentUri)
    {
        if (media is not null) return Rebase(media, contentUri, "recording contentUri");
        if (!Uri.TryCreate(contentUri, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !IsRingCentralHost(uri.Host))
            throw new PermanentCallException($"RingCentral recording contentUri is not on a RingCentral https host ({(uri is null ? "not a URL" : uri.Host)}); it is not followed with the token.");
        return uri;
    }

    private static Uri Rebase(Uri host, string link, string what)
    {
        if (!Uri.TryCreate(link, UriKind.RelativeOrAbsolute, out var uri))
            throw new PermanentCallException($"RingCentral {what} is not a URL.");
        var pathAndQuery = uri.IsAbsoluteUri ? uri.PathAndQuery : link;
        return new Uri(host, pathAndQuery.TrimStart('/'));
    }

    private static bool IsRingCentralHost(string host) =>
        host.Equals("ringcentral.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".ringcentral.com", StringComparison.OrdinalIgnoreCase);
}
