using System.Runtime.CompilerServices;
using CallImport.Operator.Controller;
using k8s;
using Microsoft.Extensions.Logging.Abstractions;

namespace CallImport.Operator.Tests.Controller;

public sealed class InformerTests
{
    /// <summary>A source whose watches end the ways real ones do, scripted per watch call.</summary>
    private sealed class ScriptedSource(params Func<Action<Exception>, IEnumerable<(WatchEventType, string)>>[] watches) : IResourceSource<string>
    {
        private int _watch;
        private int _version = 10;
        public int Lists;
        public List<string> WatchedFrom { get; } = [];

        public string Kind => "things";

        public Task<ListResult<string>> ListAsync(CancellationToken cancellationToken)
        {
            Lists++;
            return Task.FromResult(new ListResult<string>(["a@" + _version], (_version++).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        public async IAsyncEnumerable<(WatchEventType Type, string Object)> WatchAsync(string resourceVersion, TimeSpan timeout, Action<Exception> onError,
            [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            WatchedFrom.Add(resourceVersion);
            var script = _watch < watches.Length ? watches[_watch++] : null;
            if (script is null)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
                yield break;
            }
            foreach (var item in script(onError))
                yield return item;
        }

        public string KeyOf(string item) => item.Split('@')[0];

        public string? ResourceVersionOf(string item) => item.Split('@')[1];
    }

    private static OperatorSettings Settings => new() { RelistInterval = TimeSpan.FromHours(1), WatchTimeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task WatchEndingWithNoEvents_IsRenewedFromTheLastResourceVersion_WithoutRelisting()
    {
        var source = new ScriptedSource(
            _ => throw new HttpRequestException("Error while copying content to a stream.", new EndOfStreamException()),
            _ => [(WatchEventType.Modified, "b@12")]);
        var changed = new List<string>();
        var informer = new Informer<string>(source, i => { lock (changed) changed.Add(i); }, Settings, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();

        var running = informer.RunAsync(stop.Token);
        await WaitUntil(() => source.WatchedFrom.Count >= 3);
        await stop.CancelAsync();
        await running;

        Assert.Equal(1, source.Lists);
        Assert.Equal(["10", "10", "12"], source.WatchedFrom);
        Assert.True(informer.TryGet("b", out var b) && b == "b@12");
        Assert.Contains("a@10", changed);
    }

    [Fact]
    public async Task ExpiredResourceVersion_InTheStream_RelistsAndWatchesFromTheNewList()
    {
        var source = new ScriptedSource(
            onError =>
            {
                onError(new KubernetesException(new k8s.Models.V1Status { Code = 410, Reason = "Expired", Message = "too old resource version: 5 (100)" }));
                return [];
            });
        var informer = new Informer<string>(source, _ => { }, Settings, TimeProvider.System, NullLogger.Instance);
        using var stop = new CancellationTokenSource();

        var running = informer.RunAsync(stop.Token);
        await WaitUntil(() => source.Lists >= 2);
        await stop.CancelAsync();
        await running;

        Assert.True(informer.IsSynced);
        Assert.Equal(["10", "11"], source.WatchedFrom.Take(2));
        Assert.True(informer.TryGet("a", out var a) && a == "a@11");
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }
}
