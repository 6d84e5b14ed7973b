using CallImport.ImportJobs;
using CallImport.Testing.Fakes;
using Npgsql;

namespace CallImport.Operator.Tests.EndToEnd;

/// <summary>
/// Each samples/&lt;platform&gt;.yaml, as a user would apply it (credentials and date range pointed at the
/// platform's fake), reaches Completed with every call the fake holds imported. A sample whose platform has no
/// fake yet is skipped saying so, and joins once its fake is in <see cref="VendorFakes"/>.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SampleCompletesTests(ControlPlaneFixture fixture, SampleImports imports) : IClassFixture<SampleImports>
{
    public static TheoryData<string> Samples() => [.. SampleImports.Platforms()];

    [SkippableTheory]
    [MemberData(nameof(Samples))]
    public async Task Sample_AppliedAgainstItsPlatformsFake_ReachesCompleted_WithEveryImportableCall(string platform)
    {
        Kubectl.SkipWhenAbsent();
        Skip.IfNot(VendorFakes.Has(platform), $"samples/{platform}.yaml: no '{platform}' vendor fake in VendorFakes yet; the sample joins once one is added there.");
        var (scenario, sample) = await imports.SampleAsync(fixture, platform);

        var done = await scenario.WaitForPhaseAsync(sample.JobName, ImportJobPhase.Completed, TimeSpan.FromMinutes(4));

        var scenarioRange = SampleImports.Scenario;
        var inRange = sample.Fake.Calls.Where(c => c.InRange(scenarioRange.From, scenarioRange.To)).ToList();
        var importable = inRange.Count(c => c.Importable);
        Assert.True(importable > 0, $"the {platform} fake holds no importable call: the case proves nothing");
        Assert.Equal(inRange.Count, done.Status!.TotalCalls);
        Assert.Equal(importable, done.Status.ProcessedCalls);
        Assert.Equal(0, done.Status.FailedCalls);
        var withMedia = inRange.Count(c => c.Importable && c.MediaSha256 is not null);
        Assert.Equal((importable, withMedia), await EngagementsAsync(scenario.Customer, platform));
    }

    /// <summary>The customer's engagements from <paramref name="platform"/>: distinct calls, and how many have media stored.</summary>
    private async Task<(long Calls, long WithMedia)> EngagementsAsync(string customer, string platform)
    {
        await using var connection = new NpgsqlConnection(fixture.DatabaseConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(DISTINCT source_call_id), count(media_uri) FROM engagements WHERE customer_id = $1 AND import_source = $2", connection);
        command.Parameters.AddWithValue(customer);
        command.Parameters.AddWithValue(platform);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
