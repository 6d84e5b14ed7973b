// TEMPORARY: stand-ins for the shared platform layer's types (branch `layer`, not committed yet), with the
// same names and signatures, so the Gong context builds and is tested before the merge. Deleted when
// `layer` is merged.
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace CallImport.ImportRunner.Platforms
{
    public sealed class CallSkippedException(string reason) : Exception(reason);

    public sealed class MediaUrlExpiredException(string message) : Exception(message);

    public enum MediaHost { Presigned, VendorHosted }

    public static class MediaDownload
    {
        public static async Task<CallMedia> OpenAsync(HttpClient http, Uri url, MediaHost host, string what, string fileExtension,
            string? contentType = null, IReadOnlyList<string>? limitGroups = null, CancellationToken cancellationToken = default)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (host == MediaHost.Presigned) Auth.RequestAuthentication.WithoutAuth(request);
            var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (host == MediaHost.Presigned && response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Gone or HttpStatusCode.BadRequest)
            {
                response.Dispose();
                throw new MediaUrlExpiredException($"{what}: the signed media URL was refused (HTTP {(int)response.StatusCode}); it has probably expired.");
            }
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                response.Dispose();
                throw new PermanentCallException($"{what}: the recording is gone (HTTP 404).");
            }
            VendorResponses.EnsureSuccess(response, what);
            var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return new CallMedia(body, contentType ?? response.Content.Headers.ContentType?.MediaType ?? "application/octet-stream",
                response.Content.Headers.ContentLength, fileExtension);
        }
    }
}

namespace CallImport.ImportRunner.Platforms.Auth
{
    public interface IRequestAuthenticator
    {
        ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken);
        ValueTask<bool> RenewAfterRefusalAsync(HttpRequestMessage refused, CancellationToken cancellationToken);
    }

    public sealed class BasicAuthenticator(string user, string secret) : IRequestAuthenticator
    {
        private readonly string _encoded = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}"));

        public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", _encoded);
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> RenewAfterRefusalAsync(HttpRequestMessage refused, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }

    public sealed class StaticBearerAuthenticator(string token) : IRequestAuthenticator
    {
        public ValueTask ApplyAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return ValueTask.CompletedTask;
        }

        public ValueTask<bool> RenewAfterRefusalAsync(HttpRequestMessage refused, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    }

    public static class RequestAuthentication
    {
        public static readonly HttpRequestOptionsKey<bool> SkipKey = new("callimport.skip-auth");

        public static HttpRequestMessage WithoutAuth(HttpRequestMessage request)
        {
            request.Options.Set(SkipKey, true);
            return request;
        }

        public static bool IsSkipped(HttpRequestMessage request) => request.Options.TryGetValue(SkipKey, out var skip) && skip;
    }
}
