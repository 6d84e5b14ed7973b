using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Resources;
using CallImport.LocalControlPlane.Selection;
using CallImport.LocalControlPlane.Storage;
using CallImport.LocalControlPlane.Tables;
using Microsoft.AspNetCore.Http;

namespace CallImport.LocalControlPlane.Http;

/// <summary>
/// A watch: newline-delimited JSON events, flushed one by one. Starts with synthetic ADDED events (no
/// resourceVersion or "0") or a replay from history (N), or a single 410 ERROR event when N is too old.
/// Objects entering or leaving the selectors are sent as ADDED or DELETED.
/// </summary>
public sealed class WatchStream(ResourceApi api, TimeProvider time, CancellationToken stopping)
{
    private static readonly TimeSpan BookmarkInterval = TimeSpan.FromSeconds(30);

    public async Task RunAsync(HttpContext context, ApiRequest request, bool asTable)
    {
        var type = request.Type;
        var labels = LabelSelector.Parse(request.Param("labelSelector"));
        var fields = FieldSelector.Parse(request.Param("fieldSelector"), type);
        var sendInitial = request.Flag("sendInitialEvents");
        if (request.Param("resourceVersionMatch") is { Length: > 0 } && !sendInitial)
        {
            throw new ApiException(422, "Invalid", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided");
        }
        var bookmarks = request.Flag("allowWatchBookmarks");
        var version = request.Param("resourceVersion");
        long? after = version is null or "" or "0" || sendInitial ? null : ParseVersion(version);
        bool Matches(JsonObject o) => labels.Matches(o) && fields.Matches(o)
            && (request.Namespace is null || (string?)o["metadata"]?["namespace"] == request.Namespace);

        List<(string Type, JsonObject Object)> initial = [];
        System.Threading.Channels.Channel<WatchEvent> feed;
        long startVersion;
        JsonObject? expired = null;
        lock (api.Store.Gate)
        {
            startVersion = api.Store.CurrentVersion;
            if (after is null)
            {
                initial.AddRange(api.Store.List(type.StorageKey, request.Namespace).Where(Matches).Select(o => ("ADDED", o)));
            }
            var (subscription, replay) = api.Store.Subscribe(after);
            feed = subscription;
            if (after is not null && replay is null)
            {
                api.Store.Unsubscribe(feed);
                expired = ApiException.Expired(after.Value, api.Store.CompactedThrough + 1).ToStatus();
            }
            foreach (var change in replay ?? [])
            {
                if (Translate(change, Matches) is { } e && change.StorageKey == type.StorageKey) initial.Add(e);
            }
        }

        if (expired is not null)
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(WireJson.Serialize(new JsonObject { ["type"] = "ERROR", ["object"] = expired }) + "\n");
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        if (int.TryParse(request.Param("timeoutSeconds"), out var seconds) && seconds > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(seconds));
        }
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.StartAsync(context.RequestAborted);
        // Headers go out now, not with the first event: kubectl's delete-wait watch cannot be cancelled
        // until its request has returned, so an idle watch would otherwise hold kubectl until the first bookmark.
        await context.Response.Body.FlushAsync(context.RequestAborted);
        var writer = new EventWriter(context.Response, type, asTable, time);
        try
        {
            foreach (var (kind, obj) in initial)
            {
                await writer.WriteAsync(kind, obj, timeout.Token);
            }
            if (sendInitial && bookmarks)
            {
                await writer.BookmarkAsync(startVersion, initialEventsEnd: true, timeout.Token);
            }
            await ForwardAsync(feed, type, Matches, writer, bookmarks, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds reached or the client went away: end the stream cleanly.
        }
        finally
        {
            api.Store.Unsubscribe(feed);
        }
    }

    private async Task ForwardAsync(System.Threading.Channels.Channel<WatchEvent> feed, ResourceType type, Func<JsonObject, bool> matches,
        EventWriter writer, bool bookmarks, CancellationToken token)
    {
        var lastVersion = api.Store.CurrentVersion;
        while (!token.IsCancellationRequested)
        {
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(token);
            wait.CancelAfter(BookmarkInterval);
            WatchEvent change;
            try
            {
                change = await feed.Reader.ReadAsync(wait.Token);
            }
            catch (OperationCanceledException) when (!token.IsCancellationRequested)
            {
                if (bookmarks)
                {
                    await writer.BookmarkAsync(lastVersion, initialEventsEnd: false, token);
                }
                continue;
            }
            lastVersion = change.ResourceVersion;
            if (change.StorageKey == type.StorageKey && Translate(change, matches) is { } e)
            {
                await writer.WriteAsync(e.Type, e.Object, token);
            }
        }
    }

    private static (string Type, JsonObject Object)? Translate(WatchEvent change, Func<JsonObject, bool> matches)
    {
        var now = matches(change.Item);
        var before = change.Previous is not null && matches(change.Previous);
        return change.Type switch
        {
            "ADDED" when now => ("ADDED", change.Item),
            "DELETED" when now || before => ("DELETED", change.Item),
            "MODIFIED" when now && before => ("MODIFIED", change.Item),
            "MODIFIED" when now => ("ADDED", change.Item),
            "MODIFIED" when before => ("DELETED", change.Item),
            _ => null,
        };
    }

    private static long ParseVersion(string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v)
            ? v : throw ApiException.BadRequest($"invalid resource version \"{text}\"");

    private sealed class EventWriter(HttpResponse response, ResourceType type, bool asTable, TimeProvider time)
    {
        private bool columnsSent;

        public async Task WriteAsync(string kind, JsonObject stored, CancellationToken token)
        {
            JsonNode body = ResourceApi.Present(type, stored);
            if (asTable)
            {
                body = TableBuilder.Build(type, [stored], (string?)stored["metadata"]?["resourceVersion"] ?? "", time.GetUtcNow(), includeColumns: !columnsSent);
                columnsSent = true;
            }
            await SendAsync(new JsonObject { ["type"] = kind, ["object"] = body }, token);
        }

        public Task BookmarkAsync(long version, bool initialEventsEnd, CancellationToken token)
        {
            var metadata = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) };
            if (initialEventsEnd)
            {
                metadata["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
            }
            var obj = new JsonObject { ["kind"] = type.Kind, ["apiVersion"] = type.ApiVersion, ["metadata"] = metadata };
            return SendAsync(new JsonObject { ["type"] = "BOOKMARK", ["object"] = obj }, token);
        }

        private async Task SendAsync(JsonObject e, CancellationToken token)
        {
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(WireJson.Serialize(e) + "\n"), token);
            await response.Body.FlushAsync(token);
        }
    }
}
