using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;

namespace CallImport.Operator.Controller;

/// <summary>One page of a list: the items and the collection's resourceVersion to watch from.</summary>
internal sealed record ListResult<T>(IReadOnlyList<T> Items, string ResourceVersion);

/// <summary>How an informer reads one kind of resource from the API server.</summary>
internal interface IResourceSource<T>
{
    string Kind { get; }

    Task<ListResult<T>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Watch from <paramref name="resourceVersion"/>; ERROR events (kind Status) go to <paramref name="onError"/>.</summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, TimeSpan timeout, Action<Exception> onError, CancellationToken cancellationToken);

    string KeyOf(T item);

    string? ResourceVersionOf(T item);
}

/// <summary>
/// A cache of one kind kept current by list-then-watch. The watch has a client-side timeout and is renewed from
/// the last resourceVersion; 410 Gone/Expired, a stream error and the relist timer start over with a list,
/// because a watch can die silently. Every change is handed to <c>onChange</c>: every item of every list, every
/// watch event, and the last state of an item found gone (by a DELETED event or a relist).
/// </summary>
internal sealed class Informer<T>(IResourceSource<T> source, Action<T> onChange, OperatorSettings settings, TimeProvider time, ILogger logger)
    where T : class
{
    private readonly ConcurrentDictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastContactTicks = time.GetUtcNow().UtcTicks;

    public ICollection<T> Items => _items.Values;

    public bool TryGet(string key, out T? item) => _items.TryGetValue(key, out item);

    /// <summary>Completes after the first full list.</summary>
    public Task Synced => _synced.Task;

    public bool IsSynced => _synced.Task.IsCompleted;

    /// <summary>When the API server last answered a list or a watch (for /healthz).</summary>
    public DateTimeOffset LastContact => new(Interlocked.Read(ref _lastContactTicks), TimeSpan.Zero);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await RelistAsync(cancellationToken);
                failures = 0;
                await WatchUntilRelistAsync(resourceVersion, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                var delay = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(failures, 5))));
                logger.LogWarning(e, "Listing or watching {Kind} failed; starting over in {Delay}", source.Kind, delay);
                await Task.Delay(delay, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task<string> RelistAsync(CancellationToken cancellationToken)
    {
        var list = await source.ListAsync(cancellationToken);
        Touch();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            var key = source.KeyOf(item);
            seen.Add(key);
            _items[key] = item;
            onChange(item);
        }
        foreach (var key in _items.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            if (_items.TryRemove(key, out var gone))
                onChange(gone);
        }
        _synced.TrySetResult();
        logger.LogDebug("Listed {Count} {Kind} at resourceVersion {ResourceVersion}", list.Items.Count, source.Kind, list.ResourceVersion);
        return list.ResourceVersion;
    }

    /// <summary>Renews the watch until the relist period is over or the watch cannot go on (410, errors).</summary>
    private async Task WatchUntilRelistAsync(string resourceVersion, CancellationToken cancellationToken)
    {
        var relistAt = time.GetUtcNow() + settings.RelistInterval;
        while (time.GetUtcNow() < relistAt)
        {
            var expired = false;
            void OnError(Exception e)
            {
                // Status objects in the stream: 410 Expired means the resourceVersion is too old to resume from.
                if (e is KubernetesException { Status.Code: 410 } || e.Message.Contains("too old resource version", StringComparison.Ordinal))
                    expired = true;
                else
                    logger.LogWarning(e, "Error in the {Kind} watch", source.Kind);
            }

            var timeout = Max(TimeSpan.FromSeconds(1), Min(settings.WatchTimeout, relistAt - time.GetUtcNow()));
            try
            {
                await foreach (var (type, item) in source.WatchAsync(resourceVersion, timeout, OnError, cancellationToken))
                {
                    Touch();
                    resourceVersion = source.ResourceVersionOf(item) ?? resourceVersion;
                    Apply(type, item);
                }
            }
            catch (HttpRequestException e) when (e.InnerException is EndOfStreamException)
            {
                // A watch that ends with no event throws this in KubernetesClient: a normal end.
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
            {
                expired = true;
            }
            Touch();
            if (expired)
            {
                logger.LogInformation("The {Kind} watch expired at resourceVersion {ResourceVersion}; listing again", source.Kind, resourceVersion);
                return;
            }
        }
    }

    private void Apply(WatchEventType type, T item)
    {
        var key = source.KeyOf(item);
        switch (type)
        {
            case WatchEventType.Added or WatchEventType.Modified:
                _items[key] = item;
                onChange(item);
                break;
            case WatchEventType.Deleted:
                _items.TryRemove(key, out _);
                onChange(item);
                break;
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastContactTicks, time.GetUtcNow().UtcTicks);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
