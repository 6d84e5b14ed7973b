using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CallImport.Testing.Fakes.HubSpot;

/// <summary>The CRM endpoints: call search, batch reads, associations, owners, transcripts.</summary>
public sealed partial class HubSpotFake
{
    private static readonly string[] SearchableProperties = ["hs_timestamp", "hubspot_owner_id", "hs_call_direction", "hs_call_status", "hs_object_id"];

    private async Task SearchAsync(HttpContext context)
    {
        var body = await BodyAsync(context);
        if (body is null)
        {
            await ErrorAsync(context, 400, "Invalid input JSON on line 1.", "VALIDATION_ERROR");
            return;
        }
        var limit = body["limit"]?.GetValue<int>() ?? 10;
        if (limit is < 1 or > 200)
        {
            await ErrorAsync(context, 400, "limit must be between 1 and 200.", "VALIDATION_ERROR");
            return;
        }
        var sorts = body["sorts"]?.AsArray() ?? [];
        if (sorts.Count > 1)
        {
            await ErrorAsync(context, 400, "Only one sort is allowed per search.", "VALIDATION_ERROR");
            return;
        }
        var groups = body["filterGroups"]?.AsArray() ?? [];
        if (groups.Count > 5 || groups.Any(g => (g?["filters"]?.AsArray().Count ?? 0) > 6))
        {
            await ErrorAsync(context, 400, "Too many filter groups or filters.", "VALIDATION_ERROR");
            return;
        }
        var offset = 0;
        if (body["after"]?.GetValue<string>() is { Length: > 0 } after && !int.TryParse(after, CultureInfo.InvariantCulture, out offset))
        {
            await ErrorAsync(context, 400, "after must be a paging token returned by a previous search.", "VALIDATION_ERROR");
            return;
        }
        if (offset + Math.Min(limit, _options.MaxPageSize) > ResultCap)
        {
            // HubSpot: "The search endpoints are limited to 10,000 total results for any given query."
            await ErrorAsync(context, 400, "There was a problem with the request: paging is limited to 10,000 results.", "VALIDATION_ERROR");
            return;
        }
        List<Func<HubSpotFakeCall, bool>> matchers;
        try
        {
            matchers = [.. groups.Select(g => Group(g!["filters"]?.AsArray() ?? []))];
        }
        catch (FormatException e)
        {
            await ErrorAsync(context, 400, e.Message, "VALIDATION_ERROR");
            return;
        }
        var sort = sorts.Count == 1 ? sorts[0]!["propertyName"]?.GetValue<string>() : null;
        var descending = sorts.Count == 1 && sorts[0]!["direction"]?.GetValue<string>() == "DESCENDING";
        if (sort is not (null or "hs_timestamp" or "hs_object_id"))
        {
            await ErrorAsync(context, 400, $"Cannot sort on {sort} in this fake.", "VALIDATION_ERROR");
            return;
        }
        var matching = Calls.Where(c => matchers.Count == 0 || matchers.Any(m => m(c)));
        // Ties broken by id: the order is stable from one page to the next.
        var ordered = sort == "hs_timestamp"
            ? (descending ? matching.OrderByDescending(c => c.Timestamp) : matching.OrderBy(c => c.Timestamp)).ThenBy(c => c.Id)
            : descending ? matching.OrderByDescending(c => c.Id) : matching.OrderBy(c => c.Id);
        var all = ordered.ToList();
        var page = all.Skip(offset).Take(Math.Min(limit, _options.MaxPageSize)).ToList();
        var properties = (body["properties"]?.AsArray() ?? []).Select(p => p!.GetValue<string>()).ToList();
        var response = new JsonObject
        {
            ["total"] = all.Count,
            ["results"] = new JsonArray([.. page.Select(c => (JsonNode)c.ToJson(properties, ProviderUrl, malformed: false))]),
        };
        var next = offset + page.Count;
        if (next < all.Count)
            response["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = next.ToString(CultureInfo.InvariantCulture), ["link"] = $"?after={next}" } };
        await JsonAsync(context, 200, response);
    }

    private static Func<HubSpotFakeCall, bool> Group(JsonArray filters)
    {
        var tests = filters.Select(f =>
        {
            var name = f!["propertyName"]?.GetValue<string>() ?? throw new FormatException("A filter has no propertyName.");
            if (!SearchableProperties.Contains(name)) throw new FormatException($"Cannot filter on {name} in this fake.");
            var op = f["operator"]?.GetValue<string>() ?? "EQ";
            var value = f["value"]?.GetValue<string>();
            var values = f["values"]?.AsArray().Select(v => v!.GetValue<string>()).ToList();
            return (Func<HubSpotFakeCall, bool>)(call =>
            {
                var actual = name switch
                {
                    "hs_timestamp" => call.Timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                    "hubspot_owner_id" => call.OwnerId,
                    "hs_call_direction" => call.Direction,
                    "hs_call_status" => "COMPLETED",
                    _ => call.IdText,
                };
                return op switch
                {
                    "EQ" => actual == value,
                    "NEQ" => actual != value,
                    "IN" => values?.Contains(actual) == true,
                    "GTE" or "GT" or "LTE" or "LT" when name is "hs_timestamp" or "hs_object_id" => Compare(long.Parse(actual, CultureInfo.InvariantCulture), op, Millis(value)),
                    _ => throw new FormatException($"Operator {op} is not supported on {name} here."),
                };
            });
        }).ToList();
        return call => tests.All(t => t(call));
    }

    /// <summary>A datetime filter value: epoch ms, or ISO 8601 as HubSpot also accepts.</summary>
    private static long Millis(string? value) =>
        long.TryParse(value, CultureInfo.InvariantCulture, out var ms) ? ms
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time.ToUnixTimeMilliseconds()
        : throw new FormatException($"'{value}' is not a valid date value.");

    private static bool Compare(long actual, string op, long value) => op switch
    {
        "GTE" => actual >= value,
        "GT" => actual > value,
        "LTE" => actual <= value,
        _ => actual < value,
    };

    private async Task BatchReadCallsAsync(HttpContext context)
    {
        if (await InputsAsync(context) is not var (ids, properties)) return;
        var found = ids.Select(id => long.TryParse(id, CultureInfo.InvariantCulture, out var n) && _byId.TryGetValue(n, out var c) ? c : null).OfType<HubSpotFakeCall>().ToList();
        await BatchAsync(context, ids, found.Select(c => (c.IdText, (JsonNode)c.ToJson(properties, ProviderUrl, Malformed.Contains(c.Id)))).ToList());
    }

    private async Task BatchReadContactsAsync(HttpContext context)
    {
        if (await InputsAsync(context) is not var (ids, _)) return;
        var found = HubSpotFakeSeed.Contacts.Where(c => ids.Contains(c.Id.ToString(CultureInfo.InvariantCulture))).Select(c => (c.Id.ToString(CultureInfo.InvariantCulture), (JsonNode)new JsonObject
        {
            ["id"] = c.Id.ToString(CultureInfo.InvariantCulture),
            ["properties"] = new JsonObject { ["firstname"] = c.First, ["lastname"] = c.Last, ["email"] = c.Email, ["phone"] = c.Phone, ["hs_object_id"] = c.Id.ToString(CultureInfo.InvariantCulture) },
            ["archived"] = false,
        })).ToList();
        await BatchAsync(context, ids, found);
    }

    /// <summary>HubSpot's batch answer: 200 when every input was found, 207 with an OBJECT_NOT_FOUND error naming the rest.</summary>
    private async Task BatchAsync(HttpContext context, IReadOnlyList<string> ids, List<(string Id, JsonNode Json)> found)
    {
        var missing = ids.Except(found.Select(f => f.Id)).ToList();
        var now = CallImportIso(_options.Time.GetUtcNow());
        var response = new JsonObject
        {
            ["status"] = "COMPLETE",
            ["results"] = new JsonArray([.. found.Select(f => f.Json)]),
            ["startedAt"] = now,
            ["completedAt"] = now,
        };
        if (missing.Count > 0)
        {
            response["numErrors"] = 1;
            response["errors"] = new JsonArray(new JsonObject
            {
                ["status"] = "error",
                ["category"] = "OBJECT_NOT_FOUND",
                ["message"] = "Could not get some objects, they may be deleted or not exist.",
                ["context"] = new JsonObject { ["ids"] = new JsonArray([.. missing.Select(m => (JsonNode)m)]) },
            });
        }
        await JsonAsync(context, missing.Count > 0 ? 207 : 200, response);
    }

    private static string CallImportIso(DateTimeOffset time) => HubSpotFakeCall.Iso(time);

    private async Task AssociationsAsync(HttpContext context)
    {
        if (await InputsAsync(context) is not var (ids, _)) return;
        var results = new JsonArray();
        foreach (var id in ids)
        {
            if (!long.TryParse(id, CultureInfo.InvariantCulture, out var n) || !_byId.TryGetValue(n, out var call) || call.ContactIds.Count == 0) continue;
            results.Add(new JsonObject
            {
                ["from"] = new JsonObject { ["id"] = id },
                ["to"] = new JsonArray([.. call.ContactIds.Select(c => (JsonNode)new JsonObject
                {
                    ["toObjectId"] = c,
                    ["associationTypes"] = new JsonArray(new JsonObject { ["category"] = "HUBSPOT_DEFINED", ["typeId"] = 194, ["label"] = null }),
                })]),
            });
        }
        await JsonAsync(context, 200, new JsonObject { ["status"] = "COMPLETE", ["results"] = results });
    }

    private async Task OwnersAsync(HttpContext context)
    {
        var archived = context.Request.Query["archived"] == "true";
        var limit = int.TryParse(context.Request.Query["limit"], CultureInfo.InvariantCulture, out var l) ? Math.Clamp(l, 1, 500) : 100;
        var offset = int.TryParse(context.Request.Query["after"], CultureInfo.InvariantCulture, out var a) ? a : 0;
        var owners = HubSpotFakeSeed.Owners.Where(o => o.Archived == archived).ToList();
        var page = owners.Skip(offset).Take(limit).ToList();
        var response = new JsonObject { ["results"] = new JsonArray([.. page.Select(o => (JsonNode)Owner(o))]) };
        if (offset + page.Count < owners.Count)
            response["paging"] = new JsonObject { ["next"] = new JsonObject { ["after"] = (offset + page.Count).ToString(CultureInfo.InvariantCulture) } };
        await JsonAsync(context, 200, response);
    }

    private async Task OwnerAsync(HttpContext context, string ownerId)
    {
        var archived = context.Request.Query["archived"] == "true";
        var owner = HubSpotFakeSeed.Owners.Where(o => o.Id == ownerId && o.Archived == archived).ToList();
        if (owner.Count == 0)
        {
            await ErrorAsync(context, 404, "Owner not found.", "OBJECT_NOT_FOUND");
            return;
        }
        await JsonAsync(context, 200, Owner(owner[0]));
    }

    private static JsonObject Owner((string Id, string First, string Last, string Email, bool Archived) o) => new()
    {
        ["id"] = o.Id,
        ["email"] = o.Email,
        ["type"] = "PERSON",
        ["firstName"] = o.First,
        ["lastName"] = o.Last,
        ["userId"] = 9000 + int.Parse(o.Id, CultureInfo.InvariantCulture),
        ["archived"] = o.Archived,
    };

    private async Task TranscriptAsync(HttpContext context, string transcriptId)
    {
        var call = transcriptId.StartsWith('t') && long.TryParse(transcriptId[1..], CultureInfo.InvariantCulture, out var id) && _byId.TryGetValue(id, out var c) ? c : null;
        if (call?.Utterances is not { } utterances)
        {
            await ErrorAsync(context, 404, "Transcript not found.", "OBJECT_NOT_FOUND");
            return;
        }
        var owner = HubSpotFakeSeed.Owners.First(o => o.Id == call.OwnerId);
        await JsonAsync(context, 200, new JsonObject
        {
            ["id"] = transcriptId,
            ["engagementId"] = call.Id,
            ["transcriptSource"] = "HUBSPOT",
            ["transcriptUtterances"] = new JsonArray([.. utterances.Select(u => (JsonNode)new JsonObject
            {
                ["speaker"] = u.Owner
                    ? new JsonObject { ["id"] = owner.Id, ["name"] = $"{owner.First} {owner.Last}", ["email"] = owner.Email }
                    : new JsonObject { ["id"] = "caller", ["name"] = "Customer" },
                ["text"] = u.Text,
                ["startTimeMillis"] = (long)u.At.TotalMilliseconds,
                ["endTimeMillis"] = (long)u.End.TotalMilliseconds,
                ["languageCode"] = "en-US",
            })]),
        });
    }

    /// <summary>A batch body's ids (≤ 100, else 400) and asked properties; null after answering 400.</summary>
    private async Task<(IReadOnlyList<string> Ids, IReadOnlyList<string> Properties)?> InputsAsync(HttpContext context)
    {
        var body = await BodyAsync(context);
        var inputs = body?["inputs"] as JsonArray;
        if (inputs is null)
        {
            await ErrorAsync(context, 400, "Invalid input JSON: inputs is required.", "VALIDATION_ERROR");
            return null;
        }
        if (inputs.Count > 100)
        {
            await ErrorAsync(context, 400, "Batch input cannot exceed 100 items.", "VALIDATION_ERROR");
            return null;
        }
        var properties = (body!["properties"] as JsonArray ?? []).Select(p => p!.GetValue<string>()).ToList();
        return ([.. inputs.Select(i => i?["id"]?.GetValue<string>() ?? "")], properties);
    }

    private static async Task<JsonObject?> BodyAsync(HttpContext context)
    {
        try
        {
            return await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
