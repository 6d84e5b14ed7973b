using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Resources;
using CallImport.LocalControlPlane.Validation;

namespace CallImport.LocalControlPlane.Tests.Validation;

public sealed class SchemaAdmissionTests
{
    private const string Valid = """{"customerId":"acme","platform":"grain"}""";

    public static TheoryData<string, string?, string> Cases => new()
    {
        // spec json, old spec json (null = create), expected causes as "field|reason|message" joined by " ; " ("" = admitted)
        { Valid, null, "" },
        { """{"platform":"grain"}""", null, "spec.customerId|FieldValueRequired|Required value" },
        { """{"customerId":"acme","platform":"teams"}""", null,
            "spec.platform|FieldValueNotSupported|Unsupported value: \"teams\": supported values: \"grain\", \"gong\", \"zoom\"" },
        { """{"customerId":"acme","platform":"grain","concurrency":"many"}""", null,
            "spec.concurrency|FieldValueTypeInvalid|Invalid value: \"string\": spec.concurrency in body must be of type integer: \"string\"" },
        { """{"customerId":"acme","platform":"grain","concurrency":1.5}""", null,
            "spec.concurrency|FieldValueTypeInvalid|Invalid value: \"number\": spec.concurrency in body must be of type integer: \"number\"" },
        { """{"customerId":"acme","platform":"grain","concurrency":0}""", null,
            "spec.concurrency|FieldValueInvalid|Invalid value: 0: spec.concurrency in body should be greater than or equal to 1" },
        { """{"customerId":"acme","platform":"grain","concurrency":11}""", null,
            "spec.concurrency|FieldValueInvalid|Invalid value: 11: spec.concurrency in body should be less than or equal to 10" },
        { """{"customerId":"acme","platform":"grain","ratio":0}""", null,
            "spec.ratio|FieldValueInvalid|Invalid value: 0: spec.ratio in body should be greater than 0" },
        { """{"customerId":"acme","platform":"grain","ratio":2}""", null, "" },
        { """{"customerId":"","platform":"grain"}""", null,
            "spec.customerId|FieldValueInvalid|Invalid value: \"\": spec.customerId in body should be at least 1 chars long" },
        { """{"customerId":"abcdefghijklmnopqrstuvwxyz","platform":"grain"}""", null,
            "spec.customerId|FieldValueTooLong|Too long: may not be more than 20 bytes" },
        { """{"customerId":"acme","platform":"grain","code":"AB"}""", null,
            "spec.code|FieldValueInvalid|Invalid value: \"AB\": spec.code in body should match '^[a-z]+$'" },
        { """{"customerId":"acme","platform":"grain","tags":["a","b","c","d"]}""", null,
            "spec.tags|FieldValueTooMany|Too many: 4: must have at most 3 items" },
        { """{"customerId":"acme","platform":"grain","tags":[]}""", null,
            "spec.tags|FieldValueInvalid|Invalid value: 0: spec.tags in body should have at least 1 items" },
        { """{"customerId":"acme","platform":"grain","tags":["a",7]}""", null,
            "spec.tags[1]|FieldValueTypeInvalid|Invalid value: \"integer\": spec.tags[1] in body must be of type string: \"integer\"" },
        { """{"customerId":"acme","platform":"grain","labels":{"team":5}}""", null,
            "spec.labels.team|FieldValueTypeInvalid|Invalid value: \"integer\": spec.labels.team in body must be of type string: \"integer\"" },
        { """{"customerId":"acme","platform":"grain","paused":"yes"}""", null,
            "spec.paused|FieldValueTypeInvalid|Invalid value: \"string\": spec.paused in body must be of type boolean: \"string\"" },
        { """{"customerId":"acme","platform":"grain","dateRange":{"start":"yesterday"}}""", null,
            "spec.dateRange.start|FieldValueTypeInvalid|Invalid value: \"yesterday\": spec.dateRange.start in body must be of type date-time: \"yesterday\"" },
        { """{"customerId":"acme","platform":"grain","dateRange":{"start":"2025-01-02T00:00:00Z","end":"2025-03-01T00:00:00+01:00"}}""", null, "" },
        { """{"customerId":"acme","platform":"grain","dateRange":{"start":"2025-02-01T00:00:00Z","end":"2025-01-01T00:00:00Z"}}""", null,
            "spec.dateRange.start|FieldValueInvalid|Invalid value: \"object\": start must be before end" },
        { """{"customerId":"acme","platform":"grain","dateRange":{"start":"2025-02-01T00:00:00Z"}}""", null, "" },
        { """{"customerId":"acme","platform":"grain","window":{"start":"23:59"}}""", null, "" },
        { """{"customerId":"acme","platform":"grain","window":{"start":"24:00"}}""", null,
            "spec.window.start|FieldValueInvalid|Invalid value: \"string\": must be HH:mm" },
        { """{"customerId":"acme","platform":"grain","labels":{"ab":"1","cd":"2","ef":"3"}}""", null,
            "spec.labels|FieldValueInvalid|Invalid value: \"object\": at most 2 labels, got 3" },
        { """{"customerId":"acme","platform":"grain","labels":{"a":"1"}}""", null,
            "spec.labels|FieldValueForbidden|Forbidden: keys need two characters" },
        { """{"customerId":"acme","platform":"zoom"}""", null,
            "spec|FieldValueInvalid|Invalid value: \"object\": failed rule: self.platform != 'zoom' || has(self.code)" },
        { """{"customerId":"acme","platform":"grain"}""", """{"customerId":"acme","platform":"gong"}""", "" },
        { """{"customerId":"other","platform":"grain"}""", """{"customerId":"acme","platform":"grain"}""",
            "spec.customerId|FieldValueInvalid|Invalid value: \"string\": customerId is immutable" },
        { """{"platform":"teams","concurrency":0}""", null,
            "spec.customerId|FieldValueRequired|Required value ; spec.platform|FieldValueNotSupported|Unsupported value: \"teams\": supported values: \"grain\", \"gong\", \"zoom\" ; spec.concurrency|FieldValueInvalid|Invalid value: 0: spec.concurrency in body should be greater than or equal to 1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Admit_ImportJobLikeSpec_ReportsTheApiServersCauses(string spec, string? oldSpec, string expected)
    {
        var result = CreateSut().Admit(ImportJobLikeCrd.Create(), "v1", ImportJob(spec), oldSpec is null ? null : ImportJob(oldSpec), null, "Strict");

        Assert.Equal(expected, string.Join(" ; ", result.Causes.Select(c => $"{c.Field}|{c.Reason}|{c.Message}")));
    }

    [Fact]
    public void Admit_MissingSpec_RequiresSpec()
    {
        var obj = ImportJob(Valid);
        obj.Remove("spec");

        var result = CreateSut().Admit(ImportJobLikeCrd.Create(), "v1", obj, null, null, "Strict");

        Assert.Equal([new AdmissionCause("FieldValueRequired", "Required value", "spec")], result.Causes);
    }

    [Fact]
    public void Admit_UnknownFields_ArePrunedAndReportedButPreservedWhereTheSchemaSaysSo()
    {
        var obj = ImportJob("""{"customerId":"acme","platform":"grain","foo":1,"window":{"start":"01:00","bar":true},"settings":{"anything":{"x":1}}}""");
        obj["extra"] = "top";
        obj["metadata"]!["whatever"] = "kept";

        var result = CreateSut().Admit(ImportJobLikeCrd.Create(), "v1", obj, null, null, "Warn");

        Assert.Empty(result.Causes);
        Assert.Equal(["extra", "spec.foo", "spec.window.bar"], result.UnknownFields.Order());
        Assert.Contains("unknown field \"spec.foo\"", result.Warnings);
        Assert.Null(obj["extra"]);
        Assert.Null(obj["spec"]!["foo"]);
        Assert.Null(obj["spec"]!["window"]!["bar"]);
        Assert.Equal(1, obj["spec"]!["settings"]!["anything"]!["x"]!.GetValue<int>());
        Assert.Equal("kept", obj["metadata"]!["whatever"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Strict")]
    [InlineData("Ignore")]
    public void Admit_UnknownFieldsOutsideWarnMode_GiveNoWarnings(string fieldValidation)
    {
        var result = CreateSut().Admit(ImportJobLikeCrd.Create(), "v1", ImportJob("""{"customerId":"a","platform":"grain","foo":1}"""), null, null, fieldValidation);

        Assert.Empty(result.Warnings);
        Assert.Equal(["spec.foo"], result.UnknownFields);
    }

    [Fact]
    public void Admit_Defaults_AreAppliedOnlyInsideObjectsThatExist()
    {
        var withWindow = ImportJob("""{"customerId":"acme","platform":"grain","window":{"start":"01:00"}}""");
        var withoutWindow = ImportJob(Valid);

        CreateSut().Admit(ImportJobLikeCrd.Create(), "v1", withWindow, null, null, "Strict");
        CreateSut().Admit(ImportJobLikeCrd.Create(), "v1", withoutWindow, null, null, "Strict");

        Assert.Equal("delta", withWindow["spec"]!["mode"]!.GetValue<string>());
        Assert.Equal(2, withWindow["spec"]!["concurrency"]!.GetValue<int>());
        Assert.Equal("UTC", withWindow["spec"]!["window"]!["timeZone"]!.GetValue<string>());
        Assert.Null(withoutWindow["spec"]!["window"]);
    }

    [Fact]
    public void Admit_StatusWrite_ValidatesOnlyTheStatus()
    {
        var obj = ImportJob("""{"platform":"teams"}""");
        obj["status"] = JsonNode.Parse("""{"phase":"Lost","attempts":-1}""");

        var result = CreateSut().Admit(ImportJobLikeCrd.Create(), "v1", obj, ImportJob("""{"platform":"teams"}"""), "status", "Strict");

        Assert.Equal(
            ["status.phase|FieldValueNotSupported", "status.attempts|FieldValueInvalid"],
            result.Causes.Select(c => $"{c.Field}|{c.Reason}"));
    }

    [Fact]
    public void Admit_UnknownVersion_AdmitsUnchanged()
    {
        var obj = ImportJob("""{"foo":1}""");

        var result = CreateSut().Admit(ImportJobLikeCrd.Create(), "v9", obj, null, null, "Strict");

        Assert.Empty(result.Causes);
        Assert.Equal(1, obj["spec"]!["foo"]!.GetValue<int>());
    }

    private static JsonObject ImportJob(string spec) => new()
    {
        ["apiVersion"] = "imports.example.com/v1",
        ["kind"] = "ImportJob",
        ["metadata"] = new JsonObject { ["name"] = "nightly", ["namespace"] = "default" },
        ["spec"] = JsonNode.Parse(spec),
    };

    private static SchemaAdmission CreateSut() => new();
}
