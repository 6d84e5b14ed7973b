using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace CallImport.ImportRunner.Cli;

/// <summary>The <c>import</c> command's arguments after parsing, before anything is opened.</summary>
public sealed record ImportArguments
{
    public const string DatabaseVariable = CallImport.ImportJobs.Runner.RunnerFlags.DatabaseVariable;
    public const string StorageVariable = CallImport.ImportJobs.Runner.RunnerFlags.StorageVariable;

    public required string Platform { get; init; }
    public required string CustomerId { get; init; }
    public string? CredentialsFile { get; init; }
    public string? CredentialsDirectory { get; init; }
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public required string Database { get; init; }
    public required string Storage { get; init; }
    public IReadOnlyDictionary<string, string> Filters { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> InternalDomains { get; init; } = [];
    public int Concurrency { get; init; } = 4;
    public int MaxAttemptsPerCall { get; init; } = 5;
    public double? RequestsPerSecond { get; init; }
    public long? RequestsPerDay { get; init; }
    public string? ImportId { get; init; }
    public string? BatchId { get; init; }
    public string? RunId { get; init; }
    public DateTimeOffset? StopAt { get; init; }
    public bool JsonOutput { get; init; }
    public bool Verbose { get; init; }

    /// <summary>
    /// The import's id: given, or derived from what the import covers, so running the same command again
    /// resumes the same import (and reports what it already holds as skipped).
    /// </summary>
    public string EffectiveImportId => ImportId ?? "cli-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n',
        new[] { CustomerId, Platform, From.UtcDateTime.ToString("o", CultureInfo.InvariantCulture), To.UtcDateTime.ToString("o", CultureInfo.InvariantCulture) }
            .Concat(Filters.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "=" + f.Value))))))[..16];
}
