using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace CallImport.LocalControlPlane.Storage;

/// <summary>
/// All objects, one global resourceVersion counter (like etcd's revision), and a bounded history of
/// writes for watches. Stored objects are never handed out for mutation: callers clone before changing.
/// Read-modify-write sequences lock <see cref="Gate"/> (re-entrant) around the whole sequence.
/// </summary>
public sealed class ObjectStore(int historyCapacity)
{
    private readonly Dictionary<string, SortedDictionary<string, JsonObject>> objects = new(StringComparer.Ordinal);
    private readonly Queue<WatchEvent> history = new();
    private readonly List<Channel<WatchEvent>> subscribers = [];
    private long resourceVersion = 1;
    private long compactedThrough;

    public object Gate { get; } = new();

    /// <summary>Raised after every committed write, outside no lock guarantees; used by GC and persistence.</summary>
    public event Action<WatchEvent>? Committed;

    public long CurrentVersion
    {
        get { lock (Gate) { return resourceVersion; } }
    }

    /// <summary>The oldest resourceVersion a watch can still start after.</summary>
    public long CompactedThrough
    {
        get { lock (Gate) { return compactedThrough; } }
    }

    public JsonObject? Get(string storageKey, string ns, string name)
    {
        lock (Gate)
        {
            return objects.TryGetValue(storageKey, out var bucket) && bucket.TryGetValue(Key(ns, name), out var obj) ? obj : null;
        }
    }

    public List<JsonObject> List(string storageKey, string? ns)
    {
        lock (Gate)
        {
            if (!objects.TryGetValue(storageKey, out var bucket))
            {
                return [];
            }
            return ns is null
                ? [.. bucket.Values]
                : [.. bucket.Where(p => p.Key.StartsWith(ns + "/", StringComparison.Ordinal)).Select(p => p.Value)];
        }
    }

    public List<(string StorageKey, JsonObject Object)> All()
    {
        lock (Gate)
        {
            return [.. objects.SelectMany(b => b.Value.Values.Select(o => (b.Key, o)))];
        }
    }

    /// <summary>Stores a copy of a new state (ADDED or MODIFIED) stamped with the next resourceVersion, and returns that copy.</summary>
    public JsonObject Put(string storageKey, JsonObject obj)
    {
        WatchEvent change;
        lock (Gate)
        {
            var (ns, name) = Identity(obj);
            if (!objects.TryGetValue(storageKey, out var bucket))
            {
                bucket = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
                objects[storageKey] = bucket;
            }
            bucket.TryGetValue(Key(ns, name), out var previous);
            resourceVersion++;
            // Re-parsed so every number reads back as any numeric type (nodes built in code keep their CLR type).
            var stored = Materialized(JsonNode.Parse(obj.ToJsonString())!.AsObject());
            stored["metadata"]!["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
            bucket[Key(ns, name)] = stored;
            change = new WatchEvent(resourceVersion, storageKey, previous is null ? "ADDED" : "MODIFIED", stored, previous);
            Record(change);
        }
        Committed?.Invoke(change);
        return change.Item;
    }

    /// <summary>Removes an object; its last state carries the deletion's resourceVersion.</summary>
    public JsonObject? Remove(string storageKey, string ns, string name)
    {
        WatchEvent change;
        lock (Gate)
        {
            if (!objects.TryGetValue(storageKey, out var bucket) || !bucket.Remove(Key(ns, name), out var previous))
            {
                return null;
            }
            resourceVersion++;
            var last = previous.DeepClone().AsObject();
            last["metadata"]!["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);
            change = new WatchEvent(resourceVersion, storageKey, "DELETED", last, previous);
            Record(change);
        }
        Committed?.Invoke(change);
        return change.Item;
    }

    /// <summary>
    /// Registers a watcher and returns, atomically with it, the history after <paramref name="after"/>
    /// (null when that version is too old). No write can fall between the replay and the live feed.
    /// </summary>
    public (Channel<WatchEvent> Feed, List<WatchEvent>? Replay) Subscribe(long? after)
    {
        lock (Gate)
        {
            var feed = Channel.CreateUnbounded<WatchEvent>(new UnboundedChannelOptions { SingleReader = true });
            List<WatchEvent>? replay = null;
            if (after is { } from)
            {
                replay = from < compactedThrough ? null : [.. history.Where(e => e.ResourceVersion > from)];
            }
            subscribers.Add(feed);
            return (feed, replay);
        }
    }

    public void Unsubscribe(Channel<WatchEvent> feed)
    {
        lock (Gate)
        {
            subscribers.Remove(feed);
        }
        feed.Writer.TryComplete();
    }

    /// <summary>Loads persisted state at start-up (no events recorded).</summary>
    public void Restore(long version, IEnumerable<(string StorageKey, JsonObject Object)> stored)
    {
        lock (Gate)
        {
            foreach (var (key, obj) in stored)
            {
                var (ns, name) = Identity(obj);
                if (!objects.TryGetValue(key, out var bucket))
                {
                    bucket = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
                    objects[key] = bucket;
                }
                bucket[Key(ns, name)] = Materialized(obj);
            }
            resourceVersion = Math.Max(resourceVersion, version);
            compactedThrough = resourceVersion;
        }
    }

    private void Record(WatchEvent change)
    {
        history.Enqueue(change);
        while (history.Count > historyCapacity)
        {
            compactedThrough = history.Dequeue().ResourceVersion;
        }
        foreach (var feed in subscribers)
        {
            feed.Writer.TryWrite(change);
        }
    }

    /// <summary>
    /// Parsed JsonObjects fill their dictionaries lazily on first read, which is not safe when several
    /// requests read the same stored object at once; touching every node once makes later reads pure.
    /// </summary>
    private static JsonObject Materialized(JsonObject obj)
    {
        static void Touch(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject o: foreach (var (_, child) in o) Touch(child); break;
                case JsonArray a: foreach (var child in a) Touch(child); break;
            }
        }
        Touch(obj);
        return obj;
    }

    private static (string Namespace, string Name) Identity(JsonObject obj) =>
        ((string?)obj["metadata"]?["namespace"] ?? "", (string?)obj["metadata"]?["name"] ?? "");

    private static string Key(string ns, string name) => ns + "/" + name;
}
