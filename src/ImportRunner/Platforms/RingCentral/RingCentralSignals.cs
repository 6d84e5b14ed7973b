using System.Net;

namespace CallImport.ImportRunner.Platforms.RingCentral;

/// <summary>
/// RingCentral's throttle: 429 (CMN-301) starts the group's penalty interval, which every request made
/// during it restarts. So a 429 makes the whole group quiet for Retry-After, or for the documented 60 s
/// penalty interval when the header is missing (the docs' "30 s or later" would knock during the penalty).
/// </summary>
internal sealed class RingCentralSignals : VendorSignals
{
    public static readonly TimeSpan PenaltyInterval = TimeSpan.FromSeconds(60);

    public static RingCentralSignals Instance { get; } = new();

    public override ValueTask<ResponseSignal> ClassifyAsync(HttpResponseMessage response, TimeProvider time, CancellationToken cancellationToken) =>
        ValueTask.FromResult(response.StatusCode == HttpStatusCode.TooManyRequests
            ? ResponseSignal.Throttled(RetryAfter(response, time) ?? PenaltyInterval, "HTTP 429 (RingCentral penalty interval)")
            : Classify(response, time));
}
