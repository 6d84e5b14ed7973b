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

namespace CallImport.Testing.Fakes.Dialpad;

/// <summary>
/// A local Dialpad API v2 on 127.0.0.1, over real HTTP, as its OpenAPI spec describes it: the key as
/// <c>Authorization: Bearer</c> or <c>?apikey=</c> (401 otherwise); <c>GET /api/v2/call</c> with
/// <c>started_after</c>/<c>started_before</c> in UTC ms, <c>target_type</c>/<c>target_id</c>, <c>{items, cursor}</c>
/// paging, concluded calls only, newest first; <c>GET /api/v2/call/{id}</c>; <c>GET /api/v2/transcripts/{id}</c>
/// (404 without Dialpad Ai); recordings at <c>recording_details[].url</c>. Limits when asked: 20/s per company and
/// 10/min for get-call, answered 429.
/// </summary>
public sealed class DialpadFake : IAsyncDisposable
{
    public const string BasePath = "/api/v2/";
    public static readonly FakeLimit Overall = new("overall", 20, TimeSpan.FromSeconds(1));
    public static readonly FakeLimit GetCall = new("get-call", 10, TimeSpan.FromMinutes(1));

    private readonly DialpadFakeOptions _options;
    private readonly Dictionary<long, DialpadFakeCall> _byId;
    private readonly Random _faults;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Queue<DateTimeOffset>> _windows = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;

    private DialpadFake(DialpadFakeOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.PageSize, 1);
        _options = options;
        var random = new Random(options.Seed);
        Calls = DialpadFakeSeed.Calls(options, random);
        _byId = Calls.ToDictionary(c => c.CallId);
        Malformed = Calls.OrderBy(_ => random.Next()).Take(options.MalformedCalls).Select(c => c.CallId).ToHashSet();
        _faults = new Random(options.Seed + 7919);
    }

    public IReadOnlyList<DialpadFakeCall> Calls { get; }
    public IReadOnlySet<long> Malformed { get; }
    public string ApiKey => _options.ApiKey;
    public string BaseUrl { get; private set; } = "";
    public FakeTrafficLog Log { get; } = new();

    public IReadOnlyDictionary<string, string> Credentials => new Dictionary<string, string> { ["apiKey"] = ApiKey, ["baseUrl"] = BaseUrl };

    public string CredentialsJson() => JsonSerializer.Serialize(Credentials);

    public int Requests(string pathPrefix) => Log.Requests.Count(r => r.Path.StartsWith(pathPrefix, StringComparison.Ordinal));

    public static async Task<DialpadFake> StartAsync(DialpadFakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fake = new DialpadFake(options ?? new DialpadFakeOptions());
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
        var segments = relative.Split('/');
        var group = segments is ["call", _] ? GetCall.Group : Overall.Group;
        await AnswerAsync(context, segments, arrived, group);
        Log.Add(new FakeRequest(arrived, context.Request.Method, relative, context.Response.StatusCode, group));
    }

    private async Task AnswerAsync(HttpContext context, string[] segments, DateTimeOffset arrived, string group)
    {
        double stallDraw, errorDraw;
        lock (_lock) (stallDraw, errorDraw) = (_faults.NextDouble(), _faults.NextDouble());
        if (stallDraw < _options.StallFraction)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try { await Task.Delay(_options.StallFor, _options.Time, wait.Token); }
            catch (OperationCanceledException) { return; }
        }
        if (_options.EnforceLimits && !(Admit(Overall, arrived) && (group != GetCall.Group || Admit(GetCall, arrived))))
        {
            await JsonAsync(context, 429, Error(429, "Rate limit exceeded"));
            return;
        }
        if (errorDraw < _options.ServerErrorFraction)
        {
            await JsonAsync(context, 500, Error(500, "Internal server error"));
            return;
        }
        var bearer = context.Request.Headers.Authorization.ToString();
        if (bearer != $"Bearer {ApiKey}" && context.Request.Query["apikey"].ToString() != ApiKey)
        {
            await JsonAsync(context, 401, Error(401, "Unauthorized"));
            return;
        }
        switch (segments)
        {
            case ["call"]:
                await ListAsync(context);
                return;
            case ["call", var id] when Find(id) is { } call:
                await JsonAsync(context, 200, call.ToJson(BaseUrl, listed: false, Malformed.Contains(call.CallId)));
                return;
            case ["transcripts", var id] when Find(id) is { Lines: not null } call:
                await JsonAsync(context, 200, call.TranscriptJson());
                return;
            case ["recordings", var file] when file.EndsWith(".mp3", StringComparison.Ordinal) && Find(file[..^4]) is { Recording: { } bytes }:
                context.Response.ContentType = "audio/mpeg";
                if (!_options.RecordingsWithoutLength) context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes);
                return;
            default:
                await JsonAsync(context, 404, Error(404, "Not found"));
                return;
        }
    }

    private DialpadFakeCall? Find(string id) =>
        long.TryParse(id, CultureInfo.InvariantCulture, out var n) && _byId.TryGetValue(n, out var call) ? call : null;

    private bool Admit(FakeLimit limit, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (!_windows.TryGetValue(limit.Group, out var window)) _windows[limit.Group] = window = new Queue<DateTimeOffset>();
            while (window.Count > 0 && now - window.Peek() >= limit.Window) window.Dequeue();
            if (window.Count >= limit.PermitLimit) return false;
            window.Enqueue(now);
            return true;
        }
    }

    private async Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!Millis(query["started_after"], out var after) || !Millis(query["started_before"], out var before))
        {
            await JsonAsync(context, 400, Error(400, "started_after and started_before are UTC milliseconds"));
            return;
        }
        var offset = 0;
        if (query["cursor"].ToString() is { Length: > 0 } cursor && !TryCursor(cursor, out offset))
        {
            await JsonAsync(context, 400, Error(400, "Invalid cursor"));
            return;
        }
        var targetId = query["target_id"].ToString();
        if (targetId.Length > 0 && query["target_type"].ToString().Length == 0)
        {
            await JsonAsync(context, 400, Error(400, "target_type is required with target_id"));
            return;
        }
        var matching = Calls
            .Where(c => (after is null || c.Started.ToUnixTimeMilliseconds() >= after) && (before is null || c.Started.ToUnixTimeMilliseconds() < before))
            .Where(c => targetId.Length == 0 || c.Target.Id.ToString(CultureInfo.InvariantCulture) == targetId)
            .OrderByDescending(c => c.Started).ThenByDescending(c => c.CallId)
            .ToList();
        var page = matching.Skip(offset).Take(_options.PageSize).ToList();
        var next = offset + page.Count < matching.Count ? Convert.ToBase64String(Encoding.UTF8.GetBytes($"c:{offset + page.Count}")) : null;
        var items = new JsonArray([.. page.Select(c => (JsonNode)c.ToJson(BaseUrl, listed: true, Malformed.Contains(c.CallId)))]);
        var body = new JsonObject { ["items"] = items };
        if (next is not null) body["cursor"] = next;
        await JsonAsync(context, 200, body);
    }

    private static bool Millis(Microsoft.Extensions.Primitives.StringValues value, out long? ms)
    {
        ms = null;
        if (value.Count == 0) return true;
        if (!long.TryParse(value.ToString(), CultureInfo.InvariantCulture, out var parsed)) return false;
        ms = parsed;
        return true;
    }

    private static bool TryCursor(string cursor, out int offset)
    {
        offset = 0;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith("c:", StringComparison.Ordinal) && int.TryParse(text[2..], CultureInfo.InvariantCulture, out offset) && offset >= 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static JsonObject Error(int code, string message) => new() { ["error"] = new JsonObject { ["code"] = code, ["message"] = message } };

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
