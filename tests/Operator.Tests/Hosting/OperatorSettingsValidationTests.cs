using CallImport.Operator.Hosting;
using Microsoft.Extensions.Configuration;

namespace CallImport.Operator.Tests.Hosting;

public sealed class OperatorSettingsValidationTests
{
    private static OperatorSettings Bind(Dictionary<string, string?> values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values).Build().GetSection(OperatorHost.Section).Get<OperatorSettings>() ?? new OperatorSettings();

    [Fact]
    public void Defaults_WithoutADatabase_FailNamingTheEnvironmentVariable()
    {
        var result = new OperatorSettingsValidation().Validate(null, new OperatorSettings());

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith("Operator__DatabaseConnectionString:", StringComparison.Ordinal));
    }

    [Fact]
    public void BoundFromConfiguration_NestedRunnerEnvironmentAndTimes_AreValid()
    {
        var settings = Bind(new()
        {
            ["Operator:DatabaseConnectionString"] = "Host=db",
            ["Operator:RunnerEnvironment:CALLIMPORT_PLATFORM_RPS_OVERRIDE"] = "200",
            ["Operator:ProgressPollInterval"] = "00:00:05",
            ["Operator:MaxConcurrentRunsPerCustomer"] = "3",
        });

        Assert.True(new OperatorSettingsValidation().Validate(null, settings).Succeeded);
        Assert.Equal("200", settings.RunnerEnvironment["CALLIMPORT_PLATFORM_RPS_OVERRIDE"]);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.ProgressPollInterval);
        Assert.Equal(3, settings.MaxConcurrentRunsPerCustomer);
    }

    [Fact]
    public void BadWindowAndLeaseTimings_AreRefusedEachWithItsSetting()
    {
        var settings = new OperatorSettings
        {
            DatabaseConnectionString = "Host=db",
            DefaultTimeZone = "Mars/Olympus",
            LeaseRenewDeadline = TimeSpan.FromSeconds(30),
            WatchSilenceLimit = TimeSpan.FromSeconds(10),
        };

        var failures = new OperatorSettingsValidation().Validate(null, settings).Failures!.ToList();

        Assert.Contains(failures, f => f.StartsWith("Operator__DefaultWindowStart:", StringComparison.Ordinal) && f.Contains("Mars/Olympus", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Operator__LeaseDuration:", StringComparison.Ordinal));
        Assert.Contains(failures, f => f.StartsWith("Operator__WatchSilenceLimit:", StringComparison.Ordinal));
    }
}
