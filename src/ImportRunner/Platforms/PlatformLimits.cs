namespace CallImport.ImportRunner.Platforms;

/// <summary>A platform's declared request limits. Null means the vendor documents none.</summary>
public sealed record PlatformLimits(double RequestsPerSecond, long? RequestsPerDay)
{
    public static PlatformLimits Unlimited { get; } = new(double.PositiveInfinity, null);

    /// <summary>Applies a job's own limits, which may only lower the platform's.</summary>
    public PlatformLimits LoweredTo(double? requestsPerSecond, long? requestsPerDay) => new(
        requestsPerSecond is { } rps && rps > 0 ? Math.Min(rps, RequestsPerSecond) : RequestsPerSecond,
        requestsPerDay is { } rpd && rpd > 0 ? (RequestsPerDay is { } own ? Math.Min(own, rpd) : rpd) : RequestsPerDay);
}
