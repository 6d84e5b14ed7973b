using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CallImport.ImportRunner.Platforms.HubSpot;

/// <summary>
/// HubSpot requests on the API host (auth is added by the HTTP pipeline) and HubSpot's refusals in the import's
/// terms: 401/403 are the token's (naming the scopes), a 429 of the <c>DAILY</c> policy ends the run for the day.
/// Messages name the request and HubSpot's error category, never a header or the body's text.
/// </summary>
internal sealed class HubSpotClient(Uri baseUrl, HttpClient http)
{
    public const string Scopes = "crm.objects.contacts.read (which also covers calls) and crm.objects.owners.read";

    public Uri BaseUrl { get; } = baseUrl;
    public HttpClient Http { get; } = http;

    public HttpRequestMessage Request(HttpMethod method, string pathAndQuery, object? body = null)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseUrl, pathAndQuery));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
            // A string body, unlike a streamed one, can be sent again by the retrying pipeline.
            request.Content = new StringContent(JsonSerializer.Serialize(body, body.GetType(), HubSpotJson.Default), Encoding.UTF8, "application/json");
        return request;
    }

    public async Task<T> SendForJsonAsync<T>(HttpRequestMessage request, string what, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(request, what, HttpCompletionOption.ResponseContentRead, cancellationToken);
        await EnsureSuccessAsync(response, what, cancellationToken);
        return await VendorResponses.ReadJsonAsync(response, what, type, cancellationToken);
    }

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, string what, HttpCompletionOption completion, CancellationToken cancellationToken) =>
        VendorResponses.SendAsync(Http, request, what, completion, cancellationToken);

    public static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var status = (int)response.StatusCode;
        var error = await HubSpotSignals.ReadErrorAsync(response, cancellationToken);
        var category = Word(error?.Category) is { } c ? " " + c : "";
        switch (response.StatusCode)
        {
            case HttpStatusCode.TooManyRequests when string.Equals(error?.PolicyName, HubSpotSignals.DailyPolicy, StringComparison.OrdinalIgnoreCase):
                throw new DailyQuotaExhaustedException($"{what}: HubSpot's daily request limit for this account is spent (HTTP 429 DAILY); the import goes on after HubSpot's midnight.");
            case HttpStatusCode.Unauthorized:
                throw new CredentialsRejectedException($"{what}: HubSpot refused the access token (HTTP 401{category}). Put a valid private-app or OAuth token in the Secret's accessToken (an OAuth token lives 30 minutes: add refreshToken, clientId and clientSecret to renew it).");
            case HttpStatusCode.Forbidden:
                throw new CredentialsRejectedException($"{what}: HubSpot refused the request (HTTP 403{category}). The token needs the scopes {Scopes}.");
        }
        VendorResponses.EnsureSuccess(response, what);
    }

    /// <summary>An error category is one upper-case word (VALIDATION_ERROR, MISSING_SCOPES): anything else is left out.</summary>
    private static string? Word(string? text) =>
        text is { Length: > 0 and <= 64 } && text.All(ch => char.IsAsciiLetterUpper(ch) || ch == '_') ? text : null;
}
