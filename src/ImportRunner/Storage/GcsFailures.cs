using System.Net;
using CallImport.ImportRunner.Platforms;
using Google;

namespace CallImport.ImportRunner.Storage;

/// <summary>
/// Turns storage errors into the import's failure kinds: retryable (5xx, 429, 408, network), credentials a person
/// must fix (401/403), or permanent. Messages name the bucket and object, never a token.
/// </summary>
internal static class GcsFailures
{
    public static Exception Translate(Exception error, string bucket, string action) => error switch
    {
        GoogleApiException { HttpStatusCode: HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden } api =>
            new CredentialsRejectedException(
                $"the storage refused the credentials ({(int)api.HttpStatusCode}) while trying to {action}: check the service account's access to gs://{bucket}"),
        GoogleApiException api when IsTransient(api.HttpStatusCode) =>
            new TransientCallException($"storage answered {(int)api.HttpStatusCode} while trying to {action}; will retry", api),
        GoogleApiException api =>
            new PermanentCallException($"storage answered {(int)api.HttpStatusCode} while trying to {action}: {api.Error?.Message}", api),
        // A cancellation nobody asked for is the HTTP client's timeout.
        HttpRequestException or IOException or TimeoutException or OperationCanceledException =>
            new TransientCallException($"storage unreachable while trying to {action}: {error.Message}; will retry", error),
        _ => error,
    };

    public static bool IsNotFound(Exception error) => error is GoogleApiException { HttpStatusCode: HttpStatusCode.NotFound };

    private static bool IsTransient(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout;
}
