using System.Text.Json.Nodes;
using CallImport.ImportJobs;

namespace CallImport.Operator.Tests.Samples;

/// <summary>
/// Every sample deserialises into the C# types without losing a field. Whether the CRD's schema accepts the
/// good samples and refuses samples/bad/ with the messages in their comments is proven against the local
/// control plane (and K3s) once it lands: tests/Operator.Tests/EndToEnd, not here.
/// </summary>
public sealed class SampleTests
{
    private static readonly string SamplesDirectory = Path.Combine(YamlDocuments.RepositoryRoot(), "samples");

    public static TheoryData<string> SampleFiles =>
        [.. Directory.GetFiles(SamplesDirectory, "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static TheoryData<string> BadSampleFiles =>
        [.. Directory.GetFiles(Path.Combine(SamplesDirectory, "bad"), "*.yaml").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Sample_ImportJob_DeserialisesAndRoundTripsEveryField(string file)
    {
        var yaml = Document(file, ImportJobResource.Kind);

        var job = ImportJobJson.Deserialize<ImportJob>(yaml.ToJsonString());

        Assert.NotNull(job);
        Assert.Equal(ImportJobResource.ApiVersion, job.ApiVersion);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), job.Spec.Platform);
        var roundTripped = JsonNode.Parse(ImportJobJson.Serialize(job));
        Assert.True(JsonNode.DeepEquals(yaml, roundTripped), $"{file}:\n{yaml.ToJsonString()}\n!=\n{roundTripped?.ToJsonString()}");
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public void Sample_Secret_HasThePlatformsKeysWithPlaceholderValues(string file)
    {
        var job = ImportJobJson.Deserialize<ImportJob>(Document(file, ImportJobResource.Kind).ToJsonString())!;
        var secret = Document(file, "Secret");

        Assert.Equal(job.Spec.CredentialsSecretRef.Name, secret["metadata"]?["name"]?.GetValue<string>());
        var data = secret["stringData"]!.AsObject();
        Assert.Empty(ImportPlatforms.MissingSecretKeys(job.Spec.Platform, data.Select(kv => kv.Key)));
        Assert.All(data, kv => Assert.Contains("REPLACE_ME", kv.Value!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public void Samples_EveryPlatform_HasOne()
    {
        var platforms = Directory.GetFiles(SamplesDirectory, "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(ImportPlatforms.All.Order(StringComparer.Ordinal), platforms);
    }

    [Theory]
    [MemberData(nameof(BadSampleFiles))]
    public void BadSample_ParsesAndStatesTheExpectedMessage(string file)
    {
        var path = Path.Combine(SamplesDirectory, "bad", file);
        var documents = YamlDocuments.Read(path);

        var job = Assert.Single(documents);
        Assert.Equal(ImportJobResource.Kind, job["kind"]?.GetValue<string>());
        var comment = File.ReadLines(path).SkipWhile(l => !l.Contains("Expected message", StringComparison.Ordinal)).Skip(1).FirstOrDefault();
        Assert.StartsWith("#   spec.", comment, StringComparison.Ordinal);
    }

    private static JsonObject Document(string file, string kind) =>
        YamlDocuments.Read(Path.Combine(SamplesDirectory, file)).Single(d => d["kind"]?.GetValue<string>() == kind);
}
