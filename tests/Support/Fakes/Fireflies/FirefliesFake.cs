using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CallImport.Testing.Fakes.Fireflies;

/// <summary>
/// A local Fireflies.ai GraphQL API on 127.0.0.1, over real HTTP, as docs.fireflies.ai describes it: one endpoint
/// <c>POST /graphql</c> with <c>Authorization: Bearer &lt;key&gt;</c> (a bad key: <c>auth_failed</c> in an HTTP 500);
/// every query validated against the schema (an unknown field fails it with GRAPHQL_VALIDATION_FAILED, HTTP 400);
/// <c>transcripts(fromDate, toDate, limit ≤ 50, skip, organizers | participants | user_id | mine)</c>, newest first, no
/// total; <c>transcript(id)</c>; Fireflies' own errors (<c>invalid_arguments</c>, <c>object_not_found</c>,
/// <c>paid_required</c> for audio_url on the Free plan) inside an HTTP 200; throttling as <c>too_many_requests</c>
/// with <c>extensions.metadata.retryAfter</c> in epoch ms, inside an HTTP 200 (60 a minute on Business/Enterprise,
/// 50 a day on Free/Pro); meetings still processing (no sentences, no audio, summary_status "processing"). The audio
/// is on a separate media host behind S3-style pre-signed URLs that expire (403) and refuse an Authorization header.
/// </summary>
public sealed class FirefliesFake : IAsyncDisposable
{
    public const string GraphQLPath = "/graphql";
    public static readonly FakeLimit PerMinute = new("overall", 60, TimeSpan.FromMinutes(1));
    public static readonly FakeLimit PerDay = new("overall", 50, TimeSpan.FromDays(1));
    private const string UserId = "ff-user-1";

    private readonly FirefliesFakeOptions _options;
    private readonly Dictionary<string, FirefliesFakeMeeting> _byId;
    private readonly Dictionary<string, int> _processingLooks;
    private readonly Random _faults;
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _minute = new();
    private readonly HashSet<string> _audioUrlsHanded = new(StringComparer.Ordinal);
    /// <summary>The daily count's window: opened by the first request, 24 h long (Fireflies does not say when it resets).</summary>
    private (DateTimeOffset Opened, int Count)? _day;
    private readonly byte[] _signingKey = RandomNumberGenerator.GetBytes(32);
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private int _apiPort;

    private FirefliesFake(FirefliesFakeOptions options)
    {
        _options = options;
        var random = new Random(options.Seed);
        Meetings = FirefliesFakeSeed.Meetings(options, random);
        _byId = Meetings.ToDictionary(m => m.Id, StringComparer.Ordinal);
        // Meetings at the bounds (the last two when asked) are never malformed or processing: the bounds cases check them alone.
        var ordinary = Meetings.Take(options.Meetings).OrderBy(_ => random.Next()).ToList();
        Malformed = ordinary.Take(options.MalformedMeetings).Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        _processingLooks = ordinary.Skip(options.MalformedMeetings).Take(options.ProcessingMeetings)
            .ToDictionary(m => m.Id, _ => options.ProcessingLooks, StringComparer.Ordinal);
        Processing = _processingLooks.Keys.ToHashSet(StringComparer.Ordinal);
        _faults = new Random(options.Seed + 7919);
    }

    public IReadOnlyList<FirefliesFakeMeeting> Meetings { get; }
    public IReadOnlySet<string> Malformed { get; }
    /// <summary>Meetings that answer "still processing" at first.</summary>
    public IReadOnlySet<string> Processing { get; }
    public string ApiKey => _options.ApiKey;
    public FirefliesFakePlan Plan => _options.Plan;
    /// <summary>The API's base (the <c>baseUrl</c> credential): <c>{BaseUrl}graphql</c> is the endpoint.</summary>
    public string BaseUrl { get; private set; } = "";
    public string MediaBaseUrl { get; private set; } = "";
    public FakeTrafficLog Log { get; } = new();

    /// <summary>
    /// When a Free/Pro key's spent day ends (as its <c>retryAfter</c> says, to the millisecond): 24 h after the day's first
    /// request, deliberately not midnight, so a client must read Fireflies' answer rather than guess.
    /// </summary>
    public DateTimeOffset? DailyQuotaResetsAt
    {
        get { lock (_lock) return _day is { } day ? DateTimeOffset.FromUnixTimeMilliseconds((day.Opened + PerDay.Window).ToUnixTimeMilliseconds()) : null; }
    }

    /// <summary>The plan's limit as Fireflies counts it.</summary>
    public FakeLimit Limit => _options.Plan is FirefliesFakePlan.Free or FirefliesFakePlan.Pro ? PerDay : PerMinute;

    public IReadOnlyDictionary<string, string> Credentials => new Dictionary<string, string> { ["apiKey"] = ApiKey, ["baseUrl"] = BaseUrl };

    public string CredentialsJson() => JsonSerializer.Serialize(Credentials);

    /// <summary>GraphQL requests (the vendor's counted requests), throttled ones included.</summary>
    public int ApiRequests => Log.Requests.Count(r => r.LimitGroup is not null);

    public int MediaRequests => Log.Requests.Count(r => r.LimitGroup is null);

    public static async Task<FirefliesFake> StartAsync(FirefliesFakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        var fake = new FirefliesFake(options ?? new FirefliesFakeOptions());
        var (app, addresses) = await LoopbackHost.StartAsync(fake.HandleAsync, cancellationToken, fake._options.Port, fake._options.MediaPort);
        fake._app = app;
        fake.BaseUrl = addresses[0] + "/";
        fake.MediaBaseUrl = addresses[1] + "/";
        fake._apiPort = new Uri(addresses[0]).Port;
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var arrived = _options.Time.GetUtcNow();
        var path = (context.Request.Path.Value ?? "").TrimStart('/');
        if (context.Connection.LocalPort != _apiPort)
        {
            await MediaAsync(context, path, arrived);
            Log.Add(new FakeRequest(arrived, context.Request.Method, path, context.Response.StatusCode, null));
            return;
        }
        var throttled = await AnswerAsync(context, arrived);
        // A throttled answer is logged as 429 (Fireflies' too_many_requests), though it went out in an HTTP 200.
        Log.Add(new FakeRequest(arrived, context.Request.Method, path, throttled ? 429 : context.Response.StatusCode, Limit.Group));
    }

    /// <returns>Whether the request was throttled.</returns>
    private async Task<bool> AnswerAsync(HttpContext context, DateTimeOffset arrived)
    {
        double stallDraw, errorDraw;
        lock (_lock) (stallDraw, errorDraw) = (_faults.NextDouble(), _faults.NextDouble());
        if (stallDraw < _options.StallFraction)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try { await Task.Delay(_options.StallFor, _options.Time, wait.Token); }
            catch (OperationCanceledException) { return false; }
        }
        if (context.Request.Path.Value?.TrimEnd('/') != GraphQLPath)
        {
            await JsonAsync(context, 404, Errors(Error("Not found", "NOT_FOUND", 404)));
            return false;
        }
        if (_options.EnforceLimits && Throttle(arrived) is { } retryAt)
        {
            await JsonAsync(context, 200, Errors(Error("Too many requests. Please retry later.", "too_many_requests", 429,
                new JsonObject { ["retryAfter"] = retryAt.ToUnixTimeMilliseconds() })));
            return true;
        }
        if (errorDraw < _options.ServerErrorFraction)
        {
            await JsonAsync(context, 500, Errors(Error("Internal server error", "INTERNAL_SERVER_ERROR", 500)));
            return false;
        }
        if (context.Request.Headers.Authorization.ToString() != $"Bearer {ApiKey}")
        {
            await JsonAsync(context, 500, Errors(Error("Invalid API key. Please check your API key and try again.", "auth_failed", 401)));
            return false;
        }
        if (context.Request.Method != "POST")
        {
            await JsonAsync(context, 405, Errors(Error("GraphQL queries are POSTed as JSON.", "BAD_REQUEST", 405)));
            return false;
        }
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }
        if (body?["query"]?.GetValueKind() != JsonValueKind.String)
        {
            await JsonAsync(context, 400, Errors(Error("POST body must be JSON with a \"query\" string.", "BAD_REQUEST", 400)));
            return false;
        }
        IReadOnlyList<GraphQLField> selection;
        try
        {
            selection = FirefliesFakeGraphQL.Parse(body["query"]!.GetValue<string>(), body["variables"] as JsonObject);
        }
        catch (GraphQLSyntaxException e)
        {
            await JsonAsync(context, 400, Errors(Error(e.Message, "GRAPHQL_PARSE_FAILED", 400)));
            return false;
        }
        if (FirefliesFakeSchema.Validate(selection) is { } invalid)
        {
            await JsonAsync(context, 400, Errors(Error(invalid, "GRAPHQL_VALIDATION_FAILED", 400)));
            return false;
        }
        await JsonAsync(context, 200, Execute(selection, arrived));
        return false;
    }

    /// <summary>When the plan's limit is reached: the moment a request will be admitted again; null = admitted now.</summary>
    private DateTimeOffset? Throttle(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (Limit == PerDay)
            {
                if (_day is not { } day || now >= day.Opened + PerDay.Window) day = (now, 0);
                if (day.Count >= PerDay.PermitLimit)
                {
                    _day = day;
                    return day.Opened + PerDay.Window;
                }
                _day = (day.Opened, day.Count + 1);
                return null;
            }
            while (_minute.Count > 0 && now - _minute.Peek() >= PerMinute.Window) _minute.Dequeue();
            if (_minute.Count >= PerMinute.PermitLimit) return _minute.Peek() + PerMinute.Window;
            _minute.Enqueue(now);
            return null;
        }
    }

    private JsonObject Execute(IReadOnlyList<GraphQLField> selection, DateTimeOffset now)
    {
        var data = new JsonObject();
        var errors = new JsonArray();
        foreach (var field in selection)
        {
            switch (field.Name)
            {
                case "user":
                    data[field.ResponseKey] = Project(User(), field.Selection!);
                    break;
                case "users":
                    data[field.ResponseKey] = new JsonArray(Project(User(), field.Selection!));
                    break;
                case "transcripts":
                    if (ListArgumentsError(field.Arguments) is { } listError)
                    {
                        errors.Add(listError);
                        data[field.ResponseKey] = null;
                        break;
                    }
                    data[field.ResponseKey] = new JsonArray([.. List(field.Arguments).Select(m => Project(Resolve(m, now, countLook: false), field.Selection!))]);
                    break;
                case "transcript":
                    var id = field.Arguments.GetValueOrDefault("id")?.GetValue<string>();
                    if (id is null || !_byId.TryGetValue(id, out var meeting))
                    {
                        errors.Add(Error("Transcript not found", "object_not_found", 404, new JsonObject { ["objectType"] = "Transcript" }, field.ResponseKey));
                        data[field.ResponseKey] = null;
                        break;
                    }
                    var resolved = Resolve(meeting, now, countLook: true);
                    if (_options.Plan == FirefliesFakePlan.Free && field.Selection!.Any(f => f.Name == "audio_url"))
                    {
                        resolved["audio_url"] = null;
                        errors.Add(Error("You need to be subscribed to a paid plan to perform this action", "paid_required", 403,
                            new JsonObject { ["tier"] = "pro_or_higher" }, field.ResponseKey, "audio_url"));
                    }
                    data[field.ResponseKey] = Project(resolved, field.Selection!);
                    break;
            }
        }
        var answer = new JsonObject { ["data"] = data };
        if (errors.Count > 0) answer["errors"] = errors;
        return answer;
    }

    private static JsonObject User() => new()
    {
        ["user_id"] = UserId, ["email"] = "alice@acme.com", ["name"] = "Alice Johnson", ["num_transcripts"] = 0,
        ["recent_meeting"] = null, ["minutes_consumed"] = 0, ["is_admin"] = true, ["integrations"] = new JsonArray(),
    };

    private JsonObject Resolve(FirefliesFakeMeeting meeting, DateTimeOffset now, bool countLook)
    {
        var processing = false;
        if (countLook)
            lock (_lock)
                if (_processingLooks.TryGetValue(meeting.Id, out var left) && left > 0)
                {
                    _processingLooks[meeting.Id] = left - 1;
                    processing = true;
                }
        var audioUrl = meeting.Audio is null ? null : SignedAudioUrl(meeting.Id, now, detail: countLook);
        return meeting.ToJson(audioUrl, processing, Malformed.Contains(meeting.Id));
    }

    private static JsonNode? Project(JsonNode? node, IReadOnlyList<GraphQLField> selection) => node switch
    {
        JsonArray array => new JsonArray([.. array.Select(item => Project(item, selection))]),
        JsonObject obj => new JsonObject(selection.Select(f => KeyValuePair.Create(f.ResponseKey,
            f.Selection is null ? obj[f.Name]?.DeepClone() : Project(obj[f.Name], f.Selection)))),
        _ => node?.DeepClone(),
    };

    private static JsonObject? ListArgumentsError(IReadOnlyDictionary<string, JsonNode?> arguments)
    {
        if (arguments.GetValueOrDefault("limit") is { } limit && (limit.GetValueKind() != JsonValueKind.Number || limit.GetValue<double>() is > 50 or < 1))
            return InvalidArgument("limit", "limit must not be greater than 50");
        if (arguments.GetValueOrDefault("skip") is { } skip && (skip.GetValueKind() != JsonValueKind.Number || skip.GetValue<double>() < 0))
            return InvalidArgument("skip", "skip must not be less than 0");
        foreach (var name in (string[])["fromDate", "toDate"])
            if (arguments.GetValueOrDefault(name) is { } date && !Date(date, out _))
                return InvalidArgument(name, $"{name} must be a Date instance");
        string[] exclusive = ["organizer_email", "participant_email", "user_id", "mine", "organizers", "participants"];
        var given = exclusive.Where(a => arguments.GetValueOrDefault(a) is not null).ToList();
        return given.Count > 1
            ? InvalidArgument(given[1], $"Only one of {string.Join(", ", exclusive)} can be used at a time")
            : null;
    }

    private List<FirefliesFakeMeeting> List(IReadOnlyDictionary<string, JsonNode?> arguments)
    {
        Date(arguments.GetValueOrDefault("fromDate"), out var from);
        Date(arguments.GetValueOrDefault("toDate"), out var to);
        var limit = arguments.GetValueOrDefault("limit") is { } l ? (int)l.GetValue<double>() : 50;
        var skip = arguments.GetValueOrDefault("skip") is { } s ? (int)s.GetValue<double>() : 0;
        var organizers = Strings(arguments.GetValueOrDefault("organizers")) ?? Strings(arguments.GetValueOrDefault("organizer_email"));
        var participants = Strings(arguments.GetValueOrDefault("participants")) ?? Strings(arguments.GetValueOrDefault("participant_email"));
        var userId = arguments.GetValueOrDefault("user_id")?.GetValue<string>();
        return [.. Meetings
            // toDate is taken as inclusive: the client keeps its half-open range itself.
            .Where(m => (from is null || m.Start >= from) && (to is null || m.Start <= to))
            .Where(m => organizers is null || organizers.Contains(m.OrganizerEmail, StringComparer.OrdinalIgnoreCase))
            .Where(m => participants is null || m.ParticipantEntries.SelectMany(e => e.Split(',')).Any(p => participants.Contains(p, StringComparer.OrdinalIgnoreCase)))
            .Where(m => userId is null || userId == UserId)
            .OrderByDescending(m => m.Start).ThenByDescending(m => m.Id, StringComparer.Ordinal)
            .Skip(skip).Take(limit)];
    }

    private static List<string>? Strings(JsonNode? node) => node switch
    {
        JsonArray array => [.. array.Select(a => a?.GetValue<string>() ?? "")],
        JsonValue value when value.GetValueKind() == JsonValueKind.String => [value.GetValue<string>()],
        _ => null,
    };

    private static bool Date(JsonNode? node, out DateTimeOffset? date)
    {
        date = null;
        if (node is null) return true;
        if (node.GetValueKind() != JsonValueKind.String
            || !DateTimeOffset.TryParse(node.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            return false;
        date = parsed;
        return true;
    }

    // ---- the media host: S3-style pre-signed URLs ----

    /// <param name="detail">A <c>transcript(id)</c> answer (the listing's URLs are never the "first" that expires).</param>
    private string SignedAudioUrl(string id, DateTimeOffset now, bool detail)
    {
        bool stale;
        lock (_lock) stale = detail && _options.FirstAudioUrlExpired && _audioUrlsHanded.Add(id);
        var signedAt = stale ? now - _options.MediaUrlLifetime - TimeSpan.FromMinutes(1) : now;
        var date = signedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var expires = ((long)_options.MediaUrlLifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return $"{MediaBaseUrl}audio/{id}.mp3?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Date={date}&X-Amz-Expires={expires}&X-Amz-SignedHeaders=host&X-Amz-Signature={Sign(id, date, expires)}";
    }

    private string Sign(string id, string date, string expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_signingKey, Encoding.UTF8.GetBytes($"{id}\n{date}\n{expires}")));

    private async Task MediaAsync(HttpContext context, string path, DateTimeOffset now)
    {
        var query = context.Request.Query;
        if (context.Request.Headers.Authorization.Count > 0)
        {
            await S3ErrorAsync(context, 400, "InvalidArgument", "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified");
            return;
        }
        var id = path.StartsWith("audio/", StringComparison.Ordinal) && path.EndsWith(".mp3", StringComparison.Ordinal) ? path[6..^4] : null;
        string date = query["X-Amz-Date"].ToString(), expires = query["X-Amz-Expires"].ToString();
        if (id is null || !_byId.TryGetValue(id, out var meeting) || meeting.Audio is null)
        {
            await S3ErrorAsync(context, 404, "NoSuchKey", "The specified key does not exist.");
            return;
        }
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(query["X-Amz-Signature"].ToString()), Encoding.ASCII.GetBytes(Sign(id, date, expires)))
            || !DateTimeOffset.TryParseExact(date, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            || !long.TryParse(expires, CultureInfo.InvariantCulture, out var seconds))
        {
            await S3ErrorAsync(context, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided.");
            return;
        }
        if (now > signedAt.AddSeconds(seconds))
        {
            await S3ErrorAsync(context, 403, "AccessDenied", "Request has expired");
            return;
        }
        context.Response.ContentType = "audio/mpeg";
        context.Response.ContentLength = meeting.Audio.Length;
        await context.Response.Body.WriteAsync(meeting.Audio);
    }

    private static async Task S3ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>{code}</Code><Message>{message}</Message></Error>");
    }

    // ---- Fireflies' error shapes ----

    private static JsonObject Errors(JsonObject error) => new() { ["data"] = null, ["errors"] = new JsonArray(error) };

    private static JsonObject InvalidArgument(string name, string message) =>
        Error("Invalid argument(s) were provided", "invalid_arguments", 400, new JsonObject
        {
            ["fields"] = new JsonArray(new JsonObject { ["name"] = name, ["message"] = message }),
        }, "transcripts");

    private static JsonObject Error(string message, string code, int status, JsonObject? metadata = null, params string[] path)
    {
        var extensions = new JsonObject { ["code"] = code, ["status"] = status };
        if (metadata is not null) extensions["metadata"] = metadata;
        var error = new JsonObject { ["message"] = message, ["code"] = code, ["friendly"] = true, ["extensions"] = extensions };
        if (path.Length > 0) error["path"] = new JsonArray([.. path.Select(p => (JsonNode)JsonValue.Create(p)!)]);
        return error;
    }

    private static async Task JsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
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
