using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CallImport.Testing.Fakes.Fathom;

/// <summary>
/// A local Fathom external API v1 on 127.0.0.1, over real HTTP, as its documentation describes it: <c>X-Api-Key</c>
/// auth (401 otherwise), <c>GET /meetings</c> filtered on <c>created_at</c> (not the meeting's start) with
/// <c>created_after</c>/<c>created_before</c>, <c>{items, limit, next_cursor}</c> paging by <c>cursor</c>, newest
/// first, <c>include_transcript</c>, the <c>recorded_by[]</c>/<c>teams[]</c>/<c>calendar_invitees_domains[]</c>
/// filters; <c>GET /recordings/{id}/transcript</c>; 60 requests per 60 s answered with 429 and
/// <c>RateLimit-Limit/-Remaining/-Reset</c>. No media endpoint: Fathom has none.
/// </summary>
public sealed class FathomFake : IAsyncDisposable
{
    public const string BasePath = "/external/v1/";
    public static readonly FakeLimit DocumentedLimit = new("overall", 60, TimeSpan.FromMinutes(1));

    private readonly FathomFakeOptions _options;
    private readonly Dictionary<long, FathomFakeMeeting> _byId;
    private readonly Random _faults;
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _admitted = new();
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    private FathomFake(FathomFakeOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        _options = options;
        var random = new Random(options.Seed);
        Meetings = FathomFakeSeed.Meetings(options, random);
        _byId = Meetings.ToDictionary(m => m.RecordingId);
        Malformed = Meetings.OrderBy(_ => random.Next()).Take(options.MalformedMeetings).Select(m => m.RecordingId).ToHashSet();
        WithoutTranscript = Meetings.Where(_ => random.NextDouble() >= options.WithTranscriptFraction).Select(m => m.RecordingId).ToHashSet();
        _faults = new Random(options.Seed + 7919);
    }

    public IReadOnlyList<FathomFakeMeeting> Meetings { get; }
    public IReadOnlySet<long> Malformed { get; }
    public IReadOnlySet<long> WithoutTranscript { get; }
    public string ApiKey => _options.ApiKey;
    public string BaseUrl { get; private set; } = "";
    public FakeTrafficLog Log { get; } = new();

    public IReadOnlyDictionary<string, string> Credentials => new Dictionary<string, string> { ["apiKey"] = ApiKey, ["baseUrl"] = BaseUrl };

    public string CredentialsJson() => JsonSerializer.Serialize(Credentials);

    public int Requests(string pathPrefix) => Log.Requests.Count(r => r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    public static async Task<FathomFake> StartAsync(FathomFakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fake = new FathomFake(options ?? new FathomFakeOptions());
        var (app, addresses) = await LoopbackHost.StartAsync(fake.HandleAsync, cancellationToken, fake._options.Port);
        fake._app = app;
        fake.BaseUrl = addresses[0] + BasePath;
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = _options.Time.GetUtcNow();
        var path = context.Request.Path.Value ?? "";
        var relative = path.StartsWith(BasePath, StringComparison.Ordinal) ? path[BasePath.Length..] : path;
        await AnswerAsync(context, relative, arrived);
        Log.Add(new FakeRequest(arrived, context.Request.Method, relative, context.Response.StatusCode, DocumentedLimit.Group));
    }

    private async Task AnswerAsync(HttpContext context, string relative, DateTimeOffset arrived)
    {
        double stallDraw, errorDraw;
        lock (_lock) (stallDraw, errorDraw) = (_faults.NextDouble(), _faults.NextDouble());
        if (stallDraw < _options.StallFraction)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try { await Task.Delay(_options.StallFor, _options.Time, wait.Token); }
            catch (OperationCanceledException) { return; }
        }
        if (_options.EnforceLimits && !Admit(context, arrived))
        {
            await JsonAsync(context, 429, new JsonObject { ["error"] = "Rate limit exceeded" });
            return;
        }
        if (errorDraw < _options.ServerErrorFraction)
        {
            await JsonAsync(context, 500, new JsonObject { ["error"] = "Internal server error" });
            return;
        }
        if (!string.Equals(context.Request.Headers["X-Api-Key"].ToString(), ApiKey, StringComparison.Ordinal))
        {
            await JsonAsync(context, 401, new JsonObject { ["error"] = "Unauthorized" });
            return;
        }
        if (context.Request.Method != "GET")
        {
            await JsonAsync(context, 405, new JsonObject { ["error"] = "Method not allowed" });
            return;
        }
        switch (relative.Split('/'))
        {
            case ["meetings"]:
                await ListAsync(context);
                break;
            case ["recordings", var id, "transcript"] when long.TryParse(id, CultureInfo.InvariantCulture, out var recordingId)
                                                         && _byId.TryGetValue(recordingId, out var meeting) && !WithoutTranscript.Contains(recordingId):
                await JsonAsync(context, 200, new JsonObject { ["transcript"] = meeting.TranscriptJson() });
                break;
            default:
                await JsonAsync(context, 404, new JsonObject { ["error"] = "Not found" });
                break;
        }
    }

    /// <summary>A sliding 60 s window per key, as Fathom counts; its headers on every answer.</summary>
    private bool Admit(HttpContext context, DateTimeOffset now)
    {
        int remaining;
        TimeSpan reset;
        bool admitted;
        lock (_lock)
        {
            while (_admitted.Count > 0 && now - _admitted.Peek() >= DocumentedLimit.Window) _admitted.Dequeue();
            admitted = _admitted.Count < DocumentedLimit.PermitLimit;
            if (admitted) _admitted.Enqueue(now);
            remaining = DocumentedLimit.PermitLimit - _admitted.Count;
            reset = _admitted.Count == 0 ? TimeSpan.Zero : _admitted.Peek() + DocumentedLimit.Window - now;
        }
        context.Response.Headers["RateLimit-Limit"] = DocumentedLimit.PermitLimit.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers["RateLimit-Reset"] = Math.Ceiling(reset.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return admitted;
    }

    private async Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!Time(query["created_after"], out var after) || !Time(query["created_before"], out var before))
        {
            await JsonAsync(context, 400, new JsonObject { ["error"] = "created_after / created_before must be ISO 8601 date-times" });
            return;
        }
        var offset = 0;
        if (query["cursor"].ToString() is { Length: > 0 } cursor && !TryCursor(cursor, out offset))
        {
            await JsonAsync(context, 400, new JsonObject { ["error"] = "invalid cursor" });
            return;
        }
        var includeTranscript = query["include_transcript"].ToString() == "true";
        var recordedBy = query["recorded_by[]"].Select(v => v!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var teams = query["teams[]"].Select(v => v!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var domains = query["calendar_invitees_domains[]"].Select(v => v!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var domainsType = query["calendar_invitees_domains_type"].ToString();

        var matching = Meetings
            .Where(m => (after is null || m.CreatedAt >= after) && (before is null || m.CreatedAt < before))
            .Where(m => recordedBy.Count == 0 || recordedBy.Contains(m.RecorderEmail))
            .Where(m => teams.Count == 0 || teams.Contains(m.Team))
            .Where(m => domains.Count == 0 || m.Invitees.Any(i => domains.Contains(i.Email[(i.Email.IndexOf('@') + 1)..])))
            .Where(m => domainsType switch
            {
                "only_internal" => m.Invitees.All(i => !i.External),
                "one_or_more_external" => m.Invitees.Any(i => i.External),
                _ => true,
            })
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.RecordingId)
            .ToList();
        var page = matching.Skip(offset).Take(_options.PageSize).ToList();
        var next = offset + page.Count < matching.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"o:{offset + page.Count}")) : null;
        var items = new JsonArray([.. page.Select(m =>
        {
            var item = m.ToJson(includeTranscript && !WithoutTranscript.Contains(m.RecordingId), Malformed.Contains(m.RecordingId));
            if (includeTranscript && WithoutTranscript.Contains(m.RecordingId)) item["transcript"] = null;
            return (JsonNode)item;
        })]);
        await JsonAsync(context, 200, new JsonObject { ["items"] = items, ["limit"] = _options.PageSize, ["next_cursor"] = next });
    }

    private static bool Time(Microsoft.Extensions.Primitives.StringValues value, out DateTimeOffset? time)
    {
        time = null;
        if (value.Count == 0) return true;
        if (!DateTimeOffset.TryParse(value.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        time = parsed;
        return true;
    }

    private static bool TryCursor(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("o:", StringComparison.Ordinal) && int.TryParse(text[2..], CultureInfo.InvariantCulture, out offset) && offset >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _stopping.Dispose();
    }
}
