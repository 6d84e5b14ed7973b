using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CallImport.ImportRunner.Platforms;

/// <summary>
/// Turns a vendor's HTTP answer into data or into the failure kind the processor acts on. Retries and
/// rate limits already happened in the HTTP pipeline; what arrives here is final.
/// Messages name the request path and status, never headers or bodies (which may echo credentials).
/// </summary>
public static class VendorResponses
{
    /// <summary>Throws the matching failure for a non-success status; returns normally on 2xx.</summary>
    public static void EnsureSuccess(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode) return;
        var status = (int)response.StatusCode;
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new CredentialsRejectedException($"{what}: the platform refused the credentials (HTTP {status}). Check the key in the Secret and its scopes."),
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout =>
                new TransientCallException($"{what}: HTTP {status} after retries."),
            _ when status >= 500 => new TransientCallException($"{what}: HTTP {status} after retries."),
            _ => new PermanentCallException($"{what}: HTTP {status}."),
        };
    }

    /// <summary>Reads a JSON body; a body that does not parse is a permanent failure of this call.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, string what, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        EnsureSuccess(response, what);
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync(body, type, cancellationToken)
                ?? throw new PermanentCallException($"{what}: malformed payload (empty JSON).");
        }
        catch (JsonException e)
        {
            throw new PermanentCallException($"{what}: malformed payload ({e.Path ?? "$"}, line {e.LineNumber}).");
        }
    }

    /// <summary>Sends and reads JSON in one step, turning network errors and timeouts into transient failures.</summary>
    public static async Task<T> SendForJsonAsync<T>(HttpClient http, HttpRequestMessage request, string what, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(http, request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await ReadJsonAsync(response, what, type, cancellationToken);
    }

    /// <summary>Sends, turning network errors and timeouts into <see cref="TransientCallException"/>.</summary>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string what, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            return await http.SendAsync(request, completion, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new TransientCallException($"{what}: {e.HttpRequestError} talking to the platform.", e);
        }
        catch (Polly.Timeout.TimeoutRejectedException e)
        {
            throw new TransientCallException($"{what}: the platform did not answer in time.", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TransientCallException($"{what}: the platform did not answer in time.", e);
        }
    }
}
