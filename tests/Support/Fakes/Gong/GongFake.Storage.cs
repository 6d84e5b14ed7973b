using Microsoft.AspNetCore.Http;

namespace CallImport.Testing.Fakes.Gong;

/// <summary>
/// The storage host behind Gong's signed media URLs, answering like S3: a request carrying an
/// Authorization header is refused (only one auth mechanism), an expired or altered signature is
/// refused with 403, and neither counts against Gong's API limits.
/// </summary>
public sealed partial class GongFake
{
    private async Task StorageAsync(HttpContext context, string path)
    {
        var query = context.Request.Query;
        if (context.Request.Headers.Authorization.Count > 0)
        {
            await S3ErrorAsync(context, StatusCodes.Status400BadRequest, GongFakeFault.StorageAuthorizationRefused, "InvalidArgument",
                "Only one auth mechanism allowed; only the X-Amz-Signature query parameter or the Authorization header should be specified");
            return;
        }
        if (Faults.TakeMediaRefusal(path))
        {
            await S3ErrorAsync(context, StatusCodes.Status403Forbidden, GongFakeFault.MediaUrlExpired, "AccessDenied", "Request has expired");
            return;
        }
        switch (_signer.Check(path, query["X-Amz-Date"], query["X-Amz-Expires"], query["X-Amz-Signature"]))
        {
            case SignatureCheck.Expired:
                await S3ErrorAsync(context, StatusCodes.Status403Forbidden, GongFakeFault.MediaUrlExpired, "AccessDenied", "Request has expired");
                return;
            case SignatureCheck.Missing or SignatureCheck.Mismatch:
                await S3ErrorAsync(context, StatusCodes.Status403Forbidden, GongFakeFault.MediaSignatureInvalid, "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided");
                return;
        }

        var parts = path[GongFakeMediaSigner.StoragePath.Length..].Split('/');
        if (parts is [var unavailable, _] && Faults.IsRecordingUnavailable(unavailable))
        {
            await S3ErrorAsync(context, StatusCodes.Status503ServiceUnavailable, GongFakeFault.StorageUnavailable, "SlowDown", "Please reduce your request rate.");
            return;
        }
        var media = parts is [var id, var file] && _byId.TryGetValue(id, out var call)
            ? file switch { "audio.mp3" => (call.Audio, "audio/mpeg"), "video.mp4" => (call.Video, "video/mp4"), _ => (null, "") }
            : (null, "");
        if (media.Item1 is not { } bytes)
        {
            await S3ErrorAsync(context, StatusCodes.Status404NotFound, GongFakeFault.MediaNotFound, "NoSuchKey", "The specified key does not exist.");
            return;
        }
        context.Response.ContentType = media.Item2;
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
        Traffic.Downloaded(parts[0]);
    }

    private async Task S3ErrorAsync(HttpContext context, int status, GongFakeFault fault, string code, string message)
    {
        Traffic.Served(fault);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code><Message>{message}</Message><RequestId>{RequestId()}</RequestId></Error>");
    }
}
