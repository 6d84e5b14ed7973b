using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Http;
using CallImport.LocalControlPlane.Selection;

namespace CallImport.LocalControlPlane.Resources;

public sealed partial class ResourceApi
{
    public JsonObject Get(ApiRequest request) => Present(request.Type, Existing(request));

    /// <summary>A list page, sorted by namespace/name, with a continue token when limit cuts it.</summary>
    public JsonObject List(ApiRequest request)
    {
        CheckResourceVersionMatch(request);
        List<JsonObject> matches;
        long listVersion;
        // One lock for both: a write between them would give a list whose version claims a change it lacks,
        // and a watch from that version would then miss the change.
        lock (store.Gate)
        {
            matches = Select(request);
            listVersion = store.CurrentVersion;
        }
        var start = 0;
        if (request.Param("continue") is { Length: > 0 } token)
        {
            var (tokenVersion, afterKey) = DecodeContinue(token);
            if (tokenVersion < store.CompactedThrough)
            {
                throw new ApiException(410, "Expired",
                    "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.");
            }
            start = matches.FindIndex(m => string.CompareOrdinal(SortKey(m), afterKey) > 0);
            start = start < 0 ? matches.Count : start;
        }
        var limit = int.TryParse(request.Param("limit"), out var l) && l > 0 ? l : int.MaxValue;
        var page = matches.Skip(start).Take(limit).ToList();
        var metadata = new JsonObject { ["resourceVersion"] = listVersion.ToString(CultureInfo.InvariantCulture) };
        if (start + page.Count < matches.Count)
        {
            metadata["continue"] = EncodeContinue(listVersion, SortKey(page[^1]));
            metadata["remainingItemCount"] = matches.Count - start - page.Count;
        }
        return new JsonObject
        {
            ["kind"] = request.Type.Kind + "List",
            ["apiVersion"] = request.Type.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. page.Select(o => (JsonNode)Present(request.Type, o))]),
        };
    }

    /// <summary>Stored objects of the request's type and namespace that match its selectors.</summary>
    public List<JsonObject> Select(ApiRequest request)
    {
        var labels = LabelSelector.Parse(request.Param("labelSelector"));
        var fields = FieldSelector.Parse(request.Param("fieldSelector"), request.Type);
        return [.. store.List(request.Type.StorageKey, request.Type.Namespaced ? request.Namespace : null)
            .Where(o => labels.Matches(o) && fields.Matches(o))
            .OrderBy(SortKey, StringComparer.Ordinal)];
    }

    private static void CheckResourceVersionMatch(ApiRequest request)
    {
        if (request.Param("resourceVersionMatch") is { Length: > 0 } && request.Param("resourceVersion") is null or "")
        {
            throw new ApiException(422, "Invalid",
                "resourceVersionMatch is forbidden unless resourceVersion is provided");
        }
    }

    private static string SortKey(JsonObject obj) =>
        ((string?)obj["metadata"]?["namespace"] ?? "") + "/" + ((string?)obj["metadata"]?["name"] ?? "");

    private static string EncodeContinue(long version, string key) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(version.ToString(CultureInfo.InvariantCulture) + "|" + key));

    private static (long Version, string Key) DecodeContinue(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var bar = text.IndexOf('|', StringComparison.Ordinal);
            return (long.Parse(text[..bar], CultureInfo.InvariantCulture), text[(bar + 1)..]);
        }
        catch (Exception e) when (e is FormatException or ArgumentOutOfRangeException)
        {
            throw ApiException.BadRequest("continue key is not valid: " + e.Message);
        }
    }
}
