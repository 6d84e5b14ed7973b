using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CallImport.ImportJobs;

namespace CallImport.Operator.Tests.Samples;

/// <summary>The hand-written CRD and the C# types say the same: same fields, same enums, descriptions everywhere.</summary>
public sealed class CrdSchemaTests
{
    private static readonly JsonObject Crd = YamlDocuments.Read(Path.Combine(YamlDocuments.RepositoryRoot(), "config", "crd", "importjobs.callimport.io.yaml")).Single();

    private static JsonObject Version => Crd["spec"]!["versions"]![0]!.AsObject();

    private static JsonObject Schema(string path) =>
        path.Split('.').Aggregate(Version["schema"]!["openAPIV3Schema"]!.AsObject(), (node, step) =>
            step == "items" ? node["items"]!.AsObject() : node["properties"]![step]!.AsObject());

    public static TheoryData<string, Type> Objects => new()
    {
        { "spec", typeof(ImportJobSpec) },
        { "spec.credentialsSecretRef", typeof(SecretReference) },
        { "spec.dateRange", typeof(DateRange) },
        { "spec.schedule", typeof(ImportSchedule) },
        { "spec.schedule.window", typeof(ScheduleWindow) },
        { "spec.rateLimit", typeof(RateLimitSpec) },
        { "status", typeof(ImportJobStatus) },
        { "status.runs.items", typeof(RunRecord) },
        { "status.metadataQuality", typeof(MetadataQualityCounts) },
        { "status.recentErrors.items", typeof(CallError) },
        { "status.conditions.items", typeof(ImportJobCondition) },
        { "status.notifications", typeof(NotificationRecord) },
    };

    [Theory]
    [MemberData(nameof(Objects))]
    public void Schema_ObjectProperties_MatchTheCSharpType(string path, Type type)
    {
        var schemaFields = Schema(path)["properties"]!.AsObject().Select(kv => kv.Key).Order(StringComparer.Ordinal);
        var typeFields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .Order(StringComparer.Ordinal);

        Assert.Equal(typeFields, schemaFields);
    }

    [Theory]
    [MemberData(nameof(Objects))]
    public void Schema_EveryField_HasADescriptionForKubectlExplain(string path, Type type)
    {
        _ = type;
        var undescribed = Schema(path)["properties"]!.AsObject()
            .Where(kv => kv.Value!["description"] is null)
            .Select(kv => kv.Key);

        Assert.Empty(undescribed);
    }

    [Fact]
    public void Schema_Enums_MatchPlatformsAndPhases()
    {
        Assert.Equal(ImportPlatforms.All, Schema("spec.platform")["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(ImportJobPhase.All, Schema("status.phase")["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal([CredentialsPolicies.DeleteAfterImport, CredentialsPolicies.Retain], Schema("spec.credentialsPolicy")["enum"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void Schema_Defaults_MatchTheCSharpDefaults()
    {
        Assert.Equal(ImportJobSpec.DefaultConcurrency, Schema("spec.concurrency")["default"]!.GetValue<long>());
        Assert.Equal(ImportJobSpec.DefaultMaxAttemptsPerCall, Schema("spec.maxAttemptsPerCall")["default"]!.GetValue<long>());
        Assert.Equal(new ImportJobSpec { CustomerId = "c", Platform = "grain", CredentialsSecretRef = new SecretReference { Name = "s" } }.EffectiveCredentialsPolicy,
            Schema("spec.credentialsPolicy")["default"]!.GetValue<string>());
        Assert.Equal(ImportJobStatus.MaxRecentErrors, Schema("status.recentErrors")["maxItems"]!.GetValue<long>());
    }

    [Fact]
    public void Crd_NamesColumnsAndSelectableFields_AsDesigned()
    {
        var names = Crd["spec"]!["names"]!;
        Assert.Equal(ImportJobResource.Plural, names["plural"]!.GetValue<string>());
        Assert.Equal(ImportJobResource.Kind, names["kind"]!.GetValue<string>());
        Assert.Equal(["ij"], names["shortNames"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(ImportJobResource.Group, Crd["spec"]!["group"]!.GetValue<string>());
        Assert.Equal(ImportJobResource.Version, Version["name"]!.GetValue<string>());
        Assert.Equal(["CUSTOMER", "PLATFORM", "PHASE", "PROCESSED", "FAILED", "TOTAL", "AGE"],
            Version["additionalPrinterColumns"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal([".spec.customerId", ".spec.platform"], Version["selectableFields"]!.AsArray().Select(c => c!["jsonPath"]!.GetValue<string>()));
    }
}
