using System.Text;
using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Http;

/// <summary>
/// kubectl's typed commands (<c>create namespace|secret|configmap|serviceaccount</c>) send protobuf bodies
/// (<c>application/vnd.kubernetes.protobuf</c>): the "k8s\0" magic, a runtime.Unknown envelope, and the
/// object. This decodes those few kinds into their JSON form; anything else is refused with 415.
/// </summary>
public static class ProtobufBody
{
    private enum Wire { String, Bytes, Varint, Bool, Message, StringMap, BytesMap, Strings, Messages }

    private sealed record Field(string Name, Wire Wire, Schema? Message = null);

    private sealed class Schema(Dictionary<int, Field> fields)
    {
        public Dictionary<int, Field> Fields { get; } = fields;
    }

    private static readonly Schema TypeMeta = new(new() { [1] = new("apiVersion", Wire.String), [2] = new("kind", Wire.String) });

    private static readonly Schema Unknown = new(new()
    {
        [1] = new("typeMeta", Wire.Message, TypeMeta), [2] = new("raw", Wire.Bytes), [3] = new("contentEncoding", Wire.String), [4] = new("contentType", Wire.String),
    });

    private static readonly Schema OwnerReference = new(new()
    {
        [1] = new("kind", Wire.String), [3] = new("name", Wire.String), [4] = new("uid", Wire.String), [5] = new("apiVersion", Wire.String),
        [6] = new("controller", Wire.Bool), [7] = new("blockOwnerDeletion", Wire.Bool),
    });

    private static readonly Schema ObjectMeta = new(new()
    {
        [1] = new("name", Wire.String), [2] = new("generateName", Wire.String), [3] = new("namespace", Wire.String),
        [11] = new("labels", Wire.StringMap), [12] = new("annotations", Wire.StringMap),
        [13] = new("ownerReferences", Wire.Messages, OwnerReference), [14] = new("finalizers", Wire.Strings),
    });

    private static readonly Dictionary<string, Schema> Kinds = new()
    {
        ["Namespace"] = new(new()
        {
            [1] = new("metadata", Wire.Message, ObjectMeta),
            [2] = new("spec", Wire.Message, new(new() { [1] = new("finalizers", Wire.Strings) })),
        }),
        ["Secret"] = new(new()
        {
            [1] = new("metadata", Wire.Message, ObjectMeta), [2] = new("data", Wire.BytesMap), [3] = new("type", Wire.String),
            [4] = new("stringData", Wire.StringMap), [5] = new("immutable", Wire.Bool),
        }),
        ["ConfigMap"] = new(new()
        {
            [1] = new("metadata", Wire.Message, ObjectMeta), [2] = new("data", Wire.StringMap), [3] = new("binaryData", Wire.BytesMap),
            [4] = new("immutable", Wire.Bool),
        }),
        ["ServiceAccount"] = new(new() { [1] = new("metadata", Wire.Message, ObjectMeta), [4] = new("automountServiceAccountToken", Wire.Bool) }),
    };

    public static JsonObject Decode(byte[] body)
    {
        if (body.Length < 4 || body[0] != 'k' || body[1] != '8' || body[2] != 's' || body[3] != 0)
        {
            throw ApiException.BadRequest("the protobuf body lacks the k8s envelope");
        }
        var envelope = Read(body.AsSpan(4), Unknown);
        var kind = (string?)envelope["typeMeta"]?["kind"] ?? "";
        if (!Kinds.TryGetValue(kind, out var schema))
        {
            throw new ApiException(415, "UnsupportedMediaType",
                $"the local control plane reads protobuf only for {string.Join(", ", Kinds.Keys)}; send {kind} as JSON (kubectl apply, or kubectl create -f)");
        }
        var raw = Convert.FromBase64String((string?)envelope["raw"] ?? "");
        var obj = Read(raw, schema);
        obj["apiVersion"] = (string?)envelope["typeMeta"]?["apiVersion"];
        obj["kind"] = kind;
        return obj;
    }

    private static JsonObject Read(ReadOnlySpan<byte> data, Schema schema)
    {
        var result = new JsonObject();
        var at = 0;
        while (at < data.Length)
        {
            var tag = Varint(data, ref at);
            var number = (int)(tag >> 3);
            var wireType = (int)(tag & 7);
            ReadOnlySpan<byte> chunk = default;
            ulong scalar = 0;
            switch (wireType)
            {
                case 0: scalar = Varint(data, ref at); break;
                case 1: at += 8; break;
                case 5: at += 4; break;
                case 2:
                    var length = (int)Varint(data, ref at);
                    chunk = data.Slice(at, length);
                    at += length;
                    break;
                default: throw ApiException.BadRequest($"unsupported protobuf wire type {wireType}");
            }
            if (!schema.Fields.TryGetValue(number, out var field))
            {
                continue;
            }
            switch (field.Wire)
            {
                case Wire.String: result[field.Name] = Encoding.UTF8.GetString(chunk); break;
                case Wire.Bytes: result[field.Name] = Convert.ToBase64String(chunk); break;
                case Wire.Varint: result[field.Name] = (long)scalar; break;
                case Wire.Bool: result[field.Name] = scalar != 0; break;
                case Wire.Message: result[field.Name] = Read(chunk, field.Message!); break;
                case Wire.Strings: Append(result, field.Name, Encoding.UTF8.GetString(chunk)); break;
                case Wire.Messages: Append(result, field.Name, Read(chunk, field.Message!)); break;
                case Wire.StringMap or Wire.BytesMap:
                    var entry = Read(chunk, new(new() { [1] = new("key", Wire.String), [2] = new("value", field.Wire == Wire.StringMap ? Wire.String : Wire.Bytes) }));
                    var map = result[field.Name] as JsonObject ?? new JsonObject();
                    map[(string?)entry["key"] ?? ""] = (string?)entry["value"] ?? "";
                    result[field.Name] = map;
                    break;
            }
        }
        return result;
    }

    private static void Append(JsonObject target, string name, JsonNode value)
    {
        var list = target[name] as JsonArray ?? new JsonArray();
        list.Add(value);
        target[name] = list;
    }

    private static ulong Varint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = data[at++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw ApiException.BadRequest("malformed protobuf varint");
    }
}
