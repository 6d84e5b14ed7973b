using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Platforms;

/// <summary>What a context may use besides its HTTP client: a clock and logging. Nothing of the store or storage.</summary>
public sealed record ImportContextServices(TimeProvider Time, ILoggerFactory LoggerFactory)
{
    public static ImportContextServices Default { get; } =
        new(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
}
