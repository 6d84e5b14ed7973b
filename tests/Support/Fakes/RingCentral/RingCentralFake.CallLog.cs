using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>
/// The call log as documented: newest first; <c>dateTo</c> defaults to now and <c>dateFrom</c> to 24 hours
/// before <c>dateTo</c> (so a client that omits it silently gets one day); <c>view</c> Simple (default) or
/// Detailed (adds legs); <c>type</c> and <c>direction</c> may repeat; <c>page</c>/<c>perPage</c> with
/// <c>navigation.nextPage.uri</c> present only while more records follow. RingCentral does not say whether
/// <c>dateTo</c> is inclusive: the fake includes it, the stricter case for a half-open import range.
/// </summary>
public sealed partial class RingCentralFake
{
    private async Task CallLogAsync(HttpContext context, string? extensionId)
    {
        var query = context.Request.Query;
        var dateTo = _options.Time.GetUtcNow();
        if (query.ContainsKey("dateTo") && !TryTime(query["dateTo"].ToString(), out dateTo))
        {
            await InvalidParameterAsync(context, "dateTo");
            return;
        }
        var dateFrom = dateTo.AddHours(-24);
        if (query.ContainsKey("dateFrom") && !TryTime(query["dateFrom"].ToString(), out dateFrom))
        {
            await InvalidParameterAsync(context, "dateFrom");
            return;
        }
        var view = query.ContainsKey("view") ? query["view"].ToString() : "Simple";
        if (view is not ("Simple" or "Detailed"))
        {
            await InvalidParameterAsync(context, "view");
            return;
        }
        string[] directions = [.. query["direction"].Select(d => d ?? "")];
        string[] types = [.. query["type"].Select(t => t ?? "")];
        if (directions.Any(d => d is not ("Inbound" or "Outbound")))
        {
            await InvalidParameterAsync(context, "direction");
            return;
        }
        if (types.Any(t => t is not ("Voice" or "Fax")))
        {
            await InvalidParameterAsync(context, "type");
            return;
        }
        if (!TryPositive(query, "page", 1, out var page) || !TryPositive(query, "perPage", _options.DefaultPerPage, out var perPage))
        {
            await InvalidParameterAsync(context, query.ContainsKey("page") && !TryPositive(query, "page", 1, out _) ? "page" : "perPage");
            return;
        }
        perPage = Math.Min(perPage, _options.MaxPerPage);

        var matching = _newestFirst
            .Where(r => r.Start >= dateFrom && r.Start <= dateTo)
            .Where(r => extensionId is null || r.ExtensionId == extensionId)
            .Where(r => directions.Length == 0 || directions.Contains(r.Direction))
            .Where(r => types.Length == 0 || types.Contains("Voice"))
            .ToList();
        var pageStart = (page - 1) * perPage;
        var records = matching.Skip(pageStart).Take(perPage).ToList();
        var platformUrl = PlatformUrl(context);
        var mediaUrl = RealMediaHost;
        var detailed = view == "Detailed";
        var malformed = Faults.Malformed;
        foreach (var record in records.Where(r => malformed.Contains(r.Id))) Traffic.Served(RingCentralFakeFault.Malformed);

        await JsonAsync(context, RingCentralFakeJson.Page(
            records.Select(r => RingCentralFakeJson.Record(r, platformUrl, mediaUrl, _options.AccountId, detailed, malformed.Contains(r.Id))),
            PageUri(context, page, perPage),
            page,
            perPage,
            pageStart,
            records.Count,
            pageStart + perPage < matching.Count ? PageUri(context, page + 1, perPage) : null,
            PageUri(context, 1, perPage),
            page > 1 ? PageUri(context, page - 1, perPage) : null));
    }

    private async Task RecordAsync(HttpContext context, string recordId)
    {
        if (!_recordsById.TryGetValue(recordId, out var record))
        {
            await ApiErrorAsync(context, 404, RingCentralFakeFault.NotFound, "CMN-102", "Resource for parameter [callRecordId] is not found", "callRecordId");
            return;
        }
        var detailed = context.Request.Query["view"].ToString() == "Detailed";
        await JsonAsync(context, RingCentralFakeJson.Record(record, PlatformUrl(context), RealMediaHost, _options.AccountId, detailed, Faults.IsMalformed(recordId)));
    }

    /// <summary>The same request with another page, on the host the client called (as RingCentral's own links are).</summary>
    private static string PageUri(HttpContext context, int page, int perPage)
    {
        var parameters = context.Request.Query
            .Where(kv => kv.Key is not ("page" or "perPage"))
            .SelectMany(kv => kv.Value.Select(v => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"page={page}")
            .Append($"perPage={perPage}");
        return $"{PlatformUrl(context)}{context.Request.Path}?{string.Join('&', parameters)}";
    }

    private Task InvalidParameterAsync(HttpContext context, string parameter) =>
        ApiErrorAsync(context, 400, RingCentralFakeFault.BadRequest, "CMN-101", $"Parameter [{parameter}] value is invalid", parameter);

    private static bool TryTime(string value, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);

    private static bool TryPositive(IQueryCollection query, string key, int fallback, out int value)
    {
        value = fallback;
        return !query.ContainsKey(key) || (int.TryParse(query[key].ToString(), CultureInfo.InvariantCulture, out value) && value >= 1);
    }
}
