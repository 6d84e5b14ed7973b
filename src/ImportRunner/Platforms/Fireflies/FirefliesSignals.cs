using System.Net;
using System.Text.Json;

namespace CallImport.ImportRunner.Platforms.Fireflies;

/// <summary>
/// Fireflies throttles with a GraphQL error <c>too_many_requests</c>, usually inside an HTTP 200, whose
/// <c>extensions.metadata.retryAfter</c> is an epoch-milliseconds instant; and refuses a key with <c>auth_failed</c>
/// (inside an HTTP 500). A wait up to <see cref="MaxThrottleWait"/> (the per-minute limit) is throttling: the pipeline
/// waits and retries. A longer one is the day's quota (Free/Pro plans): final, and the context stops the run until
/// then. <c>auth_failed</c> is final at once (a 500 would otherwise be retried). Media answers are never read.
/// </summary>
internal sealed class FirefliesSignals : VendorSignals
{
    public static FirefliesSignals Instance { get; } = new();

    /// <summary>Waits up to this are sat through; longer ones mean the day's quota is spent.</summary>
    public static readonly TimeSpan MaxThrottleWait = TimeSpan.FromMinutes(5);

    public override async ValueTask<ResponseSignal> ClassifyAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!IsGraphQLAnswer(response)) return Classify(response, time);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var errors = await ErrorCodesAsync(response, time, cancellationToken);
        if (errors.Any(e => e.Code is FirefliesApi.Codes.AuthFailed or FirefliesApi.Codes.AccountCancelled)) return ResponseSignal.Final;
        if (errors.FirstOrDefault(e => e.Code == FirefliesApi.Codes.TooManyRequests) is { Code: not null } throttle)
            return Throttle(throttle.RetryAfter ?? RetryAfter(response, time));
        if (response.StatusCode == HttpStatusCode.TooManyRequests) return Throttle(RetryAfter(response, time));
        return Classify(response, time);
    }

    private static ResponseSignal Throttle(TimeSpan? wait) =>
        wait > MaxThrottleWait ? ResponseSignal.Final : ResponseSignal.Throttled(wait, FirefliesApi.Codes.TooManyRequests);

    /// <summary>Answers of the GraphQL endpoint (JSON to a POST); downloads from the media host are never read.</summary>
    private static bool IsGraphQLAnswer(HttpResponseMessage response) =>
        response.RequestMessage?.Method == HttpMethod.Post
        && response.Content.Headers.ContentType?.MediaType is { } type && type.Contains("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The codes of the answer's GraphQL errors and their waits; none when the body is not a GraphQL answer.</summary>
    internal static async Task<List<(string? Code, TimeSpan? RetryAfter)>> ErrorCodesAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken)
    {
        var found = new List<(string?, TimeSpan?)>();
        try
        {
            // A copy of the buffered body: the context reads the buffer again after this.
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("errors", out var errors) || errors.ValueKind != JsonValueKind.Array)
                return found;
            foreach (var error in errors.EnumerateArray())
            {
                var parsed = error.Deserialize(FirefliesJson.Default.GraphQLError);
                var retryAfter = parsed?.Extensions?.RetryAfterEpochMs is { } ms ? UntilEpochMilliseconds(ms, time) : (TimeSpan?)null;
                found.Add((parsed?.EffectiveCode, retryAfter));
            }
        }
        catch (JsonException)
        {
            // Not JSON after all: HTTP's own signals decide.
        }
        return found;
    }
}
