using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace CallImport.Testing.Fakes.RingCentral;

/// <summary>Routing and the order RingCentral answers in: stall, usage plan, faults, auth, then the endpoint.</summary>
public sealed partial class RingCentralFake
{
    private enum Endpoint { Token, AccountCallLog, ExtensionCallLog, CallLogRecord, Extension, RecordingContent, Unknown }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        var (endpoint, ids) = Classify(context.Request.Method, path);
        var group = GroupOf(endpoint);
        await AnswerAsync(context, endpoint, group, ids);
        Traffic.Answered(new RingCentralFakeRequest(_options.Time.GetUtcNow(), context.Request.Method, path, group, context.Response.StatusCode));
    }

    private static (Endpoint, string[]) Classify(string method, string path) =>
        (method, path.TrimEnd('/').Split('/')) switch
        {
            ("POST", ["", "restapi", "oauth", "token"]) => (Endpoint.Token, []),
            ("GET", ["", "restapi", "v1.0", "account", var a, "call-log"]) => (Endpoint.AccountCallLog, [a]),
            ("GET", ["", "restapi", "v1.0", "account", var a, "call-log", var id]) => (Endpoint.CallLogRecord, [a, id]),
            ("GET", ["", "restapi", "v1.0", "account", var a, "extension", var e, "call-log"]) => (Endpoint.ExtensionCallLog, [a, e]),
            ("GET", ["", "restapi", "v1.0", "account", var a, "extension", var e]) => (Endpoint.Extension, [a, e]),
            ("GET", ["", "restapi", "v1.0", "account", var a, "recording", var id, "content"]) => (Endpoint.RecordingContent, [a, id]),
            _ => (Endpoint.Unknown, []),
        };

    /// <summary>RingCentral's API reference: call log (list and by id) and recording content are Heavy, extension info Light, token Auth.</summary>
    private static string GroupOf(Endpoint endpoint) => endpoint switch
    {
        Endpoint.Token => RingCentralFakeUsagePlan.Auth,
        Endpoint.AccountCallLog or Endpoint.ExtensionCallLog or Endpoint.CallLogRecord or Endpoint.RecordingContent => RingCentralFakeUsagePlan.Heavy,
        _ => RingCentralFakeUsagePlan.Light,
    };

    private async Task AnswerAsync(HttpContext context, Endpoint endpoint, string group, string[] ids)
    {
        if (endpoint != Endpoint.Token && Faults.TakeStall() is { } stall)
        {
            Traffic.Served(RingCentralFakeFault.Stalled);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
            try
            {
                await Task.Delay(stall, _options.Time, wait.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
        if (_limits is not null && !await AdmitAsync(context, group)) return;
        if (endpoint != Endpoint.Token && Faults.TakeFailure() is { } status)
        {
            await ApiErrorAsync(context, status, RingCentralFakeFault.ServerError, "InternalServerError", "Internal Server Error");
            return;
        }
        if (endpoint == Endpoint.Token)
        {
            await TokenAsync(context);
            return;
        }
        if (!await AuthorizedAsync(context)) return;
        if (ids.Length > 0 && ids[0] != "~" && ids[0] != _options.AccountId)
        {
            await ApiErrorAsync(context, 404, RingCentralFakeFault.NotFound, "CMN-102", $"Resource for parameter [accountId] is not found", "accountId");
            return;
        }
        await (endpoint switch
        {
            Endpoint.AccountCallLog => CallLogAsync(context, extensionId: null),
            Endpoint.ExtensionCallLog => CallLogAsync(context, ids[1] == "~" ? OwnerExtensionId : ids[1]),
            Endpoint.CallLogRecord => RecordAsync(context, ids[1]),
            Endpoint.Extension => ExtensionAsync(context, ids[1] == "~" ? OwnerExtensionId : ids[1]),
            Endpoint.RecordingContent => ContentAsync(context, ids[1]),
            _ => ApiErrorAsync(context, 404, RingCentralFakeFault.NotFound, "CMN-102", "Resource not found"),
        });
    }

    /// <summary>Sets the X-Rate-Limit-* headers; answers 429 CMN-301 with Retry-After when refused.</summary>
    private async Task<bool> AdmitAsync(HttpContext context, string group)
    {
        var decision = _limits!.TryAdmit(group);
        var headers = context.Response.Headers;
        headers["X-Rate-Limit-Group"] = group.ToLowerInvariant();
        headers["X-Rate-Limit-Limit"] = _limits.Limit(group).ToString(CultureInfo.InvariantCulture);
        headers["X-Rate-Limit-Remaining"] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["X-Rate-Limit-Window"] = _limits.WindowSeconds.ToString(CultureInfo.InvariantCulture);
        if (decision.Admitted) return true;
        if (decision.RestartedPenalty) Traffic.Served(RingCentralFakeFault.PenaltyRestarted);
        headers.RetryAfter = decision.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        await ApiErrorAsync(context, 429, RingCentralFakeFault.RateLimited, "CMN-301", "Request rate exceeded");
        return false;
    }

    /// <summary>Bearer header, or <c>access_token</c> in the query (documented for media links).</summary>
    private async Task<bool> AuthorizedAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..]
            : context.Request.Query["access_token"].ToString();
        if (string.IsNullOrEmpty(token))
        {
            await ApiErrorAsync(context, 401, RingCentralFakeFault.Unauthorized, "AGW-401", "Authorization header is not specified");
            return false;
        }
        switch (_tokens.Check(token))
        {
            case TokenState.Valid:
                return true;
            case TokenState.Expired:
                await ApiErrorAsync(context, 401, RingCentralFakeFault.TokenExpired, "TokenInvalid", "Access token expired");
                return false;
            default:
                await ApiErrorAsync(context, 401, RingCentralFakeFault.Unauthorized, "TokenInvalid", "Token not found");
                return false;
        }
    }

    private async Task TokenAsync(HttpContext context)
    {
        if (!ClientAuthenticated(context.Request.Headers.Authorization.ToString()))
        {
            await OAuthErrorAsync(context, 401, RingCentralFakeFault.ClientRefused, "invalid_client", "OAU-123", "Client authentication is required");
            return;
        }
        if (!context.Request.HasFormContentType)
        {
            await OAuthErrorAsync(context, 400, RingCentralFakeFault.BadRequest, "invalid_request", "OAU-250", "Unsupported content type");
            return;
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        switch (form["grant_type"].ToString())
        {
            case "urn:ietf:params:oauth:grant-type:jwt-bearer":
                if (!string.Equals(form["assertion"].ToString(), _options.Jwt, StringComparison.Ordinal))
                {
                    await OAuthErrorAsync(context, 400, RingCentralFakeFault.GrantRefused, "invalid_grant", "OAU-140", "Invalid resource owner credentials");
                    return;
                }
                await JsonAsync(context, RingCentralFakeJson.Token(_tokens.Issue(), OwnerExtensionId));
                return;
            case "refresh_token":
                if (_tokens.Refresh(form["refresh_token"].ToString()) is not { } refreshed)
                {
                    await OAuthErrorAsync(context, 400, RingCentralFakeFault.RefreshRefused, "invalid_grant", "OAU-211", "Token revoked");
                    return;
                }
                await JsonAsync(context, RingCentralFakeJson.Token(refreshed, OwnerExtensionId));
                return;
            default:
                await OAuthErrorAsync(context, 400, RingCentralFakeFault.BadRequest, "unsupported_grant_type", "OAU-251", "Unsupported grant type");
                return;
        }
    }

    private bool ClientAuthenticated(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.Ordinal)) return false;
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
            return decoded == $"{_options.ClientId}:{_options.ClientSecret}";
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private async Task ExtensionAsync(HttpContext context, string extensionId)
    {
        // The account's users exist without calls (the JWT's owner of an account with an empty call log too).
        var party = RingCentralFakeSeed.Extensions().FirstOrDefault(p => p.ExtensionId == extensionId);
        if (party is null)
        {
            await ApiErrorAsync(context, 404, RingCentralFakeFault.NotFound, "CMN-102", "Resource for parameter [extensionId] is not found", "extensionId");
            return;
        }
        await JsonAsync(context, RingCentralFakeJson.Extension(party, PlatformUrl(context), _options.AccountId));
    }

    private async Task ContentAsync(HttpContext context, string recordingId)
    {
        if (!_recordingsById.TryGetValue(recordingId, out var recording))
        {
            await ApiErrorAsync(context, 404, RingCentralFakeFault.NotFound, "CMN-102", "Resource for parameter [recordingId] is not found", "recordingId");
            return;
        }
        if (Faults.TakeRecordingFailure(recordingId))
        {
            await ApiErrorAsync(context, 500, RingCentralFakeFault.ServerError, "InternalServerError", "Internal Server Error");
            return;
        }
        context.Response.ContentType = recording.ContentType;
        context.Response.ContentLength = recording.Content.Length;
        await context.Response.Body.WriteAsync(recording.Content, context.RequestAborted);
    }

    private static string PlatformUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}";

    private async Task ApiErrorAsync(HttpContext context, int status, RingCentralFakeFault? fault, string code, string message, string? parameter = null)
    {
        if (fault is { } served) Traffic.Served(served);
        context.Response.StatusCode = status;
        await JsonAsync(context, RingCentralFakeJson.ApiError(code, message, parameter));
    }

    private async Task OAuthErrorAsync(HttpContext context, int status, RingCentralFakeFault fault, string error, string code, string message)
    {
        Traffic.Served(fault);
        context.Response.StatusCode = status;
        await JsonAsync(context, RingCentralFakeJson.OAuthError(error, code, message));
    }

    private static async Task JsonAsync(HttpContext context, JsonNode body)
    {
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}
