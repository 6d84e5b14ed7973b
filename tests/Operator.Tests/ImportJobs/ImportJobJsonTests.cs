using System.Text.Json.Nodes;
using CallImport.ImportJobs;

namespace CallImport.Operator.Tests.ImportJobs;

public sealed class ImportJobJsonTests
{
    [Fact]
    public void Serialize_Status_CamelCaseNullsOmittedTimesInUtcZ()
    {
        var status = new ImportJobStatus
        {
            Phase = ImportJobPhase.Running,
            ProcessedCalls = 3,
            StartedAt = new DateTimeOffset(2026, 1, 15, 4, 0, 0, TimeSpan.FromHours(1)),
            LastProgressAt = new DateTimeOffset(2026, 1, 15, 3, 0, 0, 250, TimeSpan.Zero),
        };

        var json = ImportJobJson.Serialize(status);

        Assert.Equal("""{"phase":"Running","processedCalls":3,"startedAt":"2026-01-15T03:00:00Z","lastProgressAt":"2026-01-15T03:00:00.25Z"}""", json);
    }

    [Fact]
    public void Deserialize_ApiServerObject_UnknownFieldsSkippedMetadataRead()
    {
        const string json = """
            {"apiVersion":"callimport.io/v1alpha1","kind":"ImportJob",
             "metadata":{"name":"acme-grain","namespace":"imports","uid":"u-1","resourceVersion":"42","generation":2,
                         "creationTimestamp":"2026-01-15T03:00:00Z","finalizers":["callimport.io/runner-jobs"],
                         "annotations":{"callimport.io/retry-requested-at":"1"},
                         "managedFields":[{"manager":"kubectl"}]},
             "spec":{"customerId":"acme","platform":"grain","credentialsSecretRef":{"name":"s"},"concurrency":4,
                     "dateRange":{"start":"2025-01-01T00:00:00+02:00","end":"2025-02-01T00:00:00Z"}},
             "status":{"phase":"Queued","conditions":[{"type":"Ready","status":"False","reason":"Queued","message":"",
                       "lastTransitionTime":"2026-01-15T03:00:01Z","observedGeneration":2}]}}
            """;

        var job = ImportJobJson.Deserialize<ImportJob>(json)!;

        Assert.Equal(("acme-grain", "42", 2L), (job.Metadata.Name, job.Metadata.ResourceVersion, job.Metadata.Generation));
        Assert.Equal("1", job.Metadata.Annotations![ImportJobResource.RetryAnnotation]);
        Assert.Equal(new DateTimeOffset(2024, 12, 31, 22, 0, 0, TimeSpan.Zero), job.Spec.DateRange!.Start.ToUniversalTime());
        Assert.Equal("Ready", Assert.Single(job.Status!.Conditions!).Type);
        Assert.Equal(4, job.Spec.EffectiveConcurrency);
    }

    [Fact]
    public void Serialize_Spec_HandedToRunnerWithoutComputedProperties()
    {
        var spec = new ImportJobSpec { CustomerId = "acme", Platform = "grain", CredentialsSecretRef = new SecretReference { Name = "s" } };

        var json = JsonNode.Parse(ImportJobJson.Serialize(spec))!.AsObject();

        Assert.Equal(["customerId", "platform", "credentialsSecretRef"], json.Select(kv => kv.Key));
        Assert.Equal(spec, ImportJobJson.Deserialize<ImportJobSpec>(json.ToJsonString()));
    }
}
