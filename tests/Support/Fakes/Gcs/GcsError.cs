using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace CallImport.Testing.Fakes.Gcs;

/// <summary>Writes errors in the JSON API's shape, which the client parses into GoogleApiException.</summary>
internal static class GcsError
{
    public static Task WriteAsync(HttpContext context, int code, string message, string reason = "invalid")
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json; charset=UTF-8";
        var body = new
        {
            error = new
            {
                code,
                message,
                errors = new[] { new { domain = "global", reason, message } },
            },
        };
        return JsonSerializer.SerializeAsync(context.Response.Body, body, cancellationToken: context.RequestAborted);
    }
}
