using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CallImport.ImportRunner.Platforms.Fireflies;

/// <summary>
/// Sends one GraphQL document to Fireflies and turns its errors into the import's failure kinds: <c>auth_failed</c> and
/// <c>account_cancelled</c> → credentials refused; <c>too_many_requests</c> with a wait beyond the per-minute limit →
/// the day's quota is spent (until Fireflies' <c>retryAfter</c>); <c>object_not_found</c>, validation and other
/// GraphQL errors → this call fails with Fireflies' code; 5xx after the pipeline's retries → transient.
/// Messages carry Fireflies' code and message, never the request's headers.
/// </summary>
internal sealed class FirefliesGraphQL(Uri endpoint, HttpClient http, TimeProvider time)
{
    /// <param name="tolerate">Errors the caller handles itself (returned with the data instead of thrown).</param>
    public async Task<GraphQLResponse<T>> QueryAsync<T>(string query, IReadOnlyDictionary<string, object?> variables, JsonTypeInfo<GraphQLResponse<T>> type, string what,
        CancellationToken cancellationToken, Func<GraphQLError, bool>? tolerate = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = JsonContent.Create(new GraphQLRequest(query, variables), FirefliesJson.Default.GraphQLRequest),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await VendorResponses.SendAsync(http, request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var body = await ReadAsync(response, type, what, cancellationToken);
        var errors = (body?.Errors ?? []).Where(e => tolerate?.Invoke(e) != true).ToList();
        // Fireflies has one endpoint (its "not found" errors come in a 200): a 404 means the address is wrong for every request.
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
            throw new CredentialsRejectedException(
                $"{what}: HTTP 404. The API address is wrong: check the credentials' '{PlatformCredentials.BaseUrlKey}' (or remove it to use {FirefliesApi.DefaultBaseUrl}).");
        if (errors.Count > 0) throw Failure(errors, response, what);
        VendorResponses.EnsureSuccess(response, what);
        return body ?? throw new PermanentCallException($"{what}: malformed payload (empty answer).");
    }

    private static async Task<GraphQLResponse<T>?> ReadAsync<T>(HttpResponseMessage response, JsonTypeInfo<GraphQLResponse<T>> type, string what, CancellationToken cancellationToken)
    {
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await JsonSerializer.DeserializeAsync(stream, type, cancellationToken);
        }
        catch (JsonException e)
        {
            // A failed HTTP answer with a body that is not GraphQL (a proxy's page): its status decides below.
            if (!response.IsSuccessStatusCode) return null;
            throw new PermanentCallException($"{what}: malformed payload ({e.Path ?? "$"}).");
        }
    }

    private Exception Failure(List<GraphQLError> errors, HttpResponseMessage response, string what)
    {
        if (errors.FirstOrDefault(e => e.Is(FirefliesApi.Codes.AuthFailed)) is not null)
            return new CredentialsRejectedException($"{what}: Fireflies refused the API key (auth_failed, HTTP {(int)response.StatusCode}). Check the Secret's 'apiKey' (Fireflies: Integrations > Fireflies API).");
        if (errors.FirstOrDefault(e => e.Is(FirefliesApi.Codes.AccountCancelled)) is not null)
            return new CredentialsRejectedException($"{what}: Fireflies says the key's account is cancelled (account_cancelled). Use a key of an active account.");
        if (errors.FirstOrDefault(e => e.Is(FirefliesApi.Codes.TooManyRequests)) is { } throttled)
        {
            var until = throttled.Extensions?.RetryAfterEpochMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
            if (until is { } resets && resets - time.GetUtcNow() > FirefliesSignals.MaxThrottleWait)
                return new DailyQuotaExhaustedException(
                    $"{what}: Fireflies' request quota for this key is spent (too_many_requests) until {resets:u}; Free and Pro plans allow 50 requests a day.", resets);
            return new TransientCallException($"{what}: Fireflies kept answering too_many_requests after retries.");
        }
        var first = errors[0];
        var code = first.EffectiveCode ?? "error";
        var message = Shorten(first.Message);
        if ((int)response.StatusCode >= 500)
            return new TransientCallException($"{what}: HTTP {(int)response.StatusCode}, {code} after retries.");
        if (first.Is(FirefliesApi.Codes.ObjectNotFound))
            return new PermanentCallException($"{what}: Fireflies has no such meeting any more (object_not_found).");
        return new PermanentCallException($"{what}: Fireflies answered {code}: {message}");
    }

    private static string Shorten(string? message) =>
        string.IsNullOrWhiteSpace(message) ? "(no message)" : message.Length <= 200 ? message.Trim() : message[..200].Trim() + "…";
}
