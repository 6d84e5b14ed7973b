using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Tests.Validation;

/// <summary>A CRD shaped like the ImportJob CRD: the rules and keywords the operator relies on.</summary>
internal static class ImportJobLikeCrd
{
    public static JsonObject Create() => JsonNode.Parse(Json)!.AsObject();

    public const string Json = """
    {
      "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
      "metadata": {"name": "importjobs.imports.example.com"},
      "spec": {
        "group": "imports.example.com", "scope": "Namespaced",
        "names": {"plural": "importjobs", "singular": "importjob", "kind": "ImportJob"},
        "versions": [{
          "name": "v1", "served": true, "storage": true, "subresources": {"status": {}},
          "schema": {"openAPIV3Schema": {
            "type": "object",
            "required": ["spec"],
            "properties": {
              "apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object"},
              "spec": {
                "type": "object",
                "required": ["customerId", "platform"],
                "properties": {
                  "customerId": {"type": "string", "minLength": 1, "maxLength": 20,
                    "x-kubernetes-validations": [{"rule": "self == oldSelf", "message": "customerId is immutable"}]},
                  "platform": {"type": "string", "enum": ["grain", "gong", "zoom"]},
                  "mode": {"type": "string", "enum": ["full", "delta"], "default": "delta"},
                  "concurrency": {"type": "integer", "minimum": 1, "maximum": 10, "default": 2},
                  "ratio": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
                  "window": {"type": "object", "properties": {
                    "start": {"type": "string",
                      "x-kubernetes-validations": [{"rule": "self.matches('^([01][0-9]|2[0-3]):[0-5][0-9]$')", "message": "must be HH:mm"}]},
                    "timeZone": {"type": "string", "default": "UTC"}}},
                  "dateRange": {"type": "object", "required": ["start"],
                    "properties": {"start": {"type": "string", "format": "date-time"}, "end": {"type": "string", "format": "date-time"}},
                    "x-kubernetes-validations": [{"rule": "!has(self.end) || timestamp(self.start) < timestamp(self.end)",
                      "message": "start must be before end", "fieldPath": ".start"}]},
                  "code": {"type": "string", "pattern": "^[a-z]+$"},
                  "tags": {"type": "array", "maxItems": 3, "minItems": 1, "items": {"type": "string"}},
                  "labels": {"type": "object", "additionalProperties": {"type": "string"},
                    "x-kubernetes-validations": [{"rule": "size(self) <= 2", "messageExpression": "'at most 2 labels, got ' + string(size(self))"},
                                                 {"rule": "self.all(k, k.size() > 1)", "reason": "FieldValueForbidden", "message": "keys need two characters"}]},
                  "settings": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
                  "paused": {"type": "boolean"}
                },
                "x-kubernetes-validations": [{"rule": "self.platform != 'zoom' || has(self.code)"}]
              },
              "status": {"type": "object", "properties": {
                "phase": {"type": "string", "enum": ["Pending", "Running", "Succeeded"]},
                "attempts": {"type": "integer", "minimum": 0}}}
            }
          }}
        }]
      }
    }
    """;
}
