using System.Text.Json.Serialization;

namespace CallImport.ImportJobs;

/// <summary>
/// What to import. The CRD's schema and CEL rules validate it at <c>kubectl apply</c>; the operator hands it
/// to the runner as JSON, so it carries no Kubernetes types.
/// </summary>
public sealed record ImportJobSpec
{
    public const int DefaultConcurrency = 4;
    public const int DefaultMaxAttemptsPerCall = 5;

    /// <summary>Whose engagements these become. Immutable.</summary>
    public required string CustomerId { get; init; }

    /// <summary>One of <see cref="ImportPlatforms.All"/>. Immutable.</summary>
    public required string Platform { get; init; }

    public required SecretReference CredentialsSecretRef { get; init; }
    public DateRange? DateRange { get; init; }

    /// <summary>Platform-specific filters (documented per platform).</summary>
    public IReadOnlyDictionary<string, string>? Filters { get; init; }

    /// <summary>The customer's email domains: participants there are internal when the platform does not say.</summary>
    public IReadOnlyList<string>? InternalDomains { get; init; }

    public ImportSchedule? Schedule { get; init; }
    public RateLimitSpec? RateLimit { get; init; }
    public int? Concurrency { get; init; }
    public int? MaxAttemptsPerCall { get; init; }

    /// <summary><see cref="CredentialsPolicies.DeleteAfterImport"/> (default) or <see cref="CredentialsPolicies.Retain"/>.</summary>
    public string? CredentialsPolicy { get; init; }

    /// <summary>Who asked for the import (audit).</summary>
    public string? RequestedBy { get; init; }

    /// <summary>True stops the import for good; the record stays with phase Cancelled.</summary>
    public bool? Cancel { get; init; }

    [JsonIgnore]
    public int EffectiveConcurrency => Concurrency ?? DefaultConcurrency;
    [JsonIgnore]
    public int EffectiveMaxAttemptsPerCall => MaxAttemptsPerCall ?? DefaultMaxAttemptsPerCall;
    [JsonIgnore]
    public string EffectiveCredentialsPolicy => CredentialsPolicy ?? CredentialsPolicies.DeleteAfterImport;
    [JsonIgnore]
    public bool IsCancelled => Cancel == true;
}

/// <summary>A Secret in the ImportJob's namespace.</summary>
public sealed record SecretReference
{
    public required string Name { get; init; }
}

/// <summary>Calls whose start lies in [start, end).</summary>
public sealed record DateRange
{
    public required DateTimeOffset Start { get; init; }
    public required DateTimeOffset End { get; init; }
}

public sealed record ImportSchedule
{
    /// <summary>When runs may happen; absent = the operator's default window.</summary>
    public ScheduleWindow? Window { get; init; }
}

/// <summary>A daily window, <c>HH:mm</c> to <c>HH:mm</c> in an IANA time zone; may wrap midnight.</summary>
public sealed record ScheduleWindow
{
    public required string Start { get; init; }
    public required string End { get; init; }
    public required string TimeZone { get; init; }
}

/// <summary>Limits that may only lower the platform's own.</summary>
public sealed record RateLimitSpec
{
    public double? RequestsPerSecond { get; init; }
    public long? RequestsPerDay { get; init; }
}
