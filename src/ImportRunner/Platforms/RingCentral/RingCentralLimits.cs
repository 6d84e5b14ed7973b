using CallImport.ImportRunner.Limits;

namespace CallImport.ImportRunner.Platforms.RingCentral;

/// <summary>
/// RingCentral's default usage plan, per user and app (guide/basics/rate-limits): Heavy 10, Medium 40, Light 50
/// and Auth 5 requests a minute. The API reference puts the call log (list and by id) and recording content
/// in Heavy, the extension info in Light and <c>/restapi/oauth/*</c> in Auth. Heavy comes first, so a request
/// the classifier does not know is counted in the strictest group.
/// </summary>
internal static class RingCentralLimits
{
    public const string Heavy = "heavy";
    public const string Medium = "medium";
    public const string Light = "light";
    public const string Auth = "auth";

    public static PlatformLimits Default { get; } = new(
    [
        new LimitGroup(Heavy, 10, TimeSpan.FromMinutes(1)),
        new LimitGroup(Medium, 40, TimeSpan.FromMinutes(1)),
        new LimitGroup(Light, 50, TimeSpan.FromMinutes(1)),
        new LimitGroup(Auth, 5, TimeSpan.FromMinutes(1)),
    ])
    {
        Classify = Classify,
        AuthGroup = Auth,
    };

    public static IReadOnlyList<string> Classify(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        if (path.Contains("/restapi/oauth/", StringComparison.Ordinal)) return [Auth];
        if (path.EndsWith("/call-log", StringComparison.Ordinal) || path.Contains("/call-log/", StringComparison.Ordinal)) return [Heavy];
        if (path.Contains("/recording/", StringComparison.Ordinal)) return [Heavy];
        if (path.Contains("/extension/", StringComparison.Ordinal) || path.EndsWith("/extension", StringComparison.Ordinal)) return [Light];
        return [Heavy];
    }
}
