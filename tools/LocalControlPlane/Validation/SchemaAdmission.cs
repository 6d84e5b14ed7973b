using System.Text.Json;
using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Resources;

namespace CallImport.LocalControlPlane.Validation;

/// <summary>
/// Admits a custom resource the way apiextensions-apiserver does: prune unknown fields, apply defaults,
/// validate against the version's OpenAPI v3 schema, then evaluate its CEL rules. Mutates <c>obj</c> in place.
/// Status writes validate only <c>status</c>.
/// </summary>
public sealed class SchemaAdmission : ICustomResourceAdmission
{
    private readonly CelRuleValidation _rules = new();

    public AdmissionResult Admit(JsonObject crd, string version, JsonObject obj, JsonObject? old, string? subresource, string fieldValidation)
    {
        var schema = SchemaOf(crd, version);
        if (schema is null)
        {
            return AdmissionResult.Admitted;
        }

        var unknown = new List<string>();
        UnknownFieldPruning.PruneRoot(obj, schema, unknown);
        SchemaDefaulting.Apply(obj, schema);

        var causes = new List<AdmissionCause>();
        if (subresource == "status")
        {
            if (schema.Properties()?["status"] is JsonObject statusSchema && obj["status"] is { } status)
            {
                StructuralValidation.Validate(status, statusSchema, "status", causes);
                _rules.Validate(status, old?["status"], statusSchema, "status", causes);
            }
        }
        else
        {
            StructuralValidation.ValidateObject(obj, schema, "", causes, skipEnvelope: true);
            _rules.Validate(obj, old, schema, "", causes);
        }

        var warnings = string.Equals(fieldValidation, "Warn", StringComparison.OrdinalIgnoreCase) || string.IsNullOrEmpty(fieldValidation)
            ? unknown.Select(f => $"unknown field \"{f}\"").ToList()
            : [];
        return new AdmissionResult(causes, warnings, unknown);
    }

    private static JsonObject? SchemaOf(JsonObject crd, string version)
    {
        var versions = crd["spec"]?["versions"] as JsonArray;
        var served = versions?.OfType<JsonObject>().FirstOrDefault(v => v["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String && n.GetValue<string>() == version);
        return served?["schema"]?["openAPIV3Schema"] as JsonObject;
    }
}
