using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Threading.Channels;
using k8s;

namespace CallImport.Operator.Controller;

/// <summary>
/// One kind of resource in several namespaces, read namespace by namespace (the operator's Roles exist only there)
/// and offered to one informer as a single source. Resource versions are per list and per watch, so the
/// position of this source is every namespace's version at once: a cursor, encoded as the "resourceVersion"
/// the informer resumes from. The informer reads items one at a time, so <see cref="ResourceVersionOf"/> may
/// advance the cursor as it reports it.
/// </summary>
internal sealed class MultiNamespaceSource<T>(IReadOnlyList<(string Namespace, IResourceSource<T> Source)> sources, Func<T, string?> namespaceOf)
    : IResourceSource<T>
{
    private readonly Lock _lock = new();
    private SortedDictionary<string, string> _cursor = new(StringComparer.Ordinal);

    public string Kind => $"{sources[0].Source.Kind} in {string.Join(", ", sources.Select(s => s.Namespace))}";

    public async Task<ListResult<T>> ListAsync(CancellationToken cancellationToken)
    {
        var items = new List<T>();
        var cursor = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (ns, source) in sources)
        {
            var list = await source.ListAsync(cancellationToken);
            items.AddRange(list.Items);
            cursor[ns] = list.ResourceVersion;
        }
        lock (_lock)
            _cursor = cursor;
        return new ListResult<T>(items, Encode(cursor));
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, TimeSpan timeout, Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursor = Decode(resourceVersion);
        lock (_lock)
            _cursor = new SortedDictionary<string, string>(cursor, StringComparer.Ordinal);
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var events = Channel.CreateUnbounded<(WatchEventType, T)>(new UnboundedChannelOptions { SingleReader = true });
        Exception? failure = null;
        var watches = sources.Select(s => Task.Run(async () =>
        {
            try
            {
                await foreach (var change in s.Source.WatchAsync(cursor.GetValueOrDefault(s.Namespace, ""), timeout, onError, stopping.Token))
                    await events.Writer.WriteAsync(change, stopping.Token);
            }
            catch (HttpRequestException e) when (e.InnerException is EndOfStreamException)
            {
                // A watch that ends with no event: a normal end (as the informer treats it).
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            catch (Exception e)
            {
                // One namespace's watch failed (e.g. 410 Gone): end them all, and let the informer decide.
                Interlocked.CompareExchange(ref failure, e, null);
                await stopping.CancelAsync();
            }
        }, CancellationToken.None)).ToList();
        _ = Task.WhenAll(watches).ContinueWith(_ => events.Writer.TryComplete(), TaskScheduler.Default);

        try
        {
            await foreach (var change in events.Reader.ReadAllAsync(cancellationToken))
                yield return change;
        }
        finally
        {
            // Also when the informer stops reading early: no watch outlives this enumeration.
            await stopping.CancelAsync();
            await Task.WhenAll(watches);
        }
        if (failure is not null)
            ExceptionDispatchInfo.Throw(failure);
        cancellationToken.ThrowIfCancellationRequested();
    }

    public string KeyOf(T item) => sources[0].Source.KeyOf(item);

    public string? ResourceVersionOf(T item)
    {
        if (sources[0].Source.ResourceVersionOf(item) is not { } version || namespaceOf(item) is not { } ns)
            return null;
        lock (_lock)
        {
            _cursor[ns] = version;
            return Encode(_cursor);
        }
    }

    private static string Encode(SortedDictionary<string, string> cursor) => JsonSerializer.Serialize(cursor);

    private static SortedDictionary<string, string> Decode(string resourceVersion) =>
        new(JsonSerializer.Deserialize<Dictionary<string, string>>(resourceVersion) ?? [], StringComparer.Ordinal);
}
