using CallImport.Operator.Controller;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.Operator.Tests.Controller;

public sealed class WorkQueueTests
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private WorkQueue CreateSut() => new(_clock, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    [Fact]
    public async Task Add_SameKeyTwiceBeforeTaken_IsTakenOnce()
    {
        using var queue = CreateSut();
        queue.Add("ns/a");
        queue.Add("ns/a");
        queue.Add("ns/b");

        Assert.Equal("ns/a", await queue.TakeAsync(CancellationToken.None));
        Assert.Equal("ns/b", await queue.TakeAsync(CancellationToken.None));
        using var shortly = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queue.TakeAsync(shortly.Token).AsTask());
    }

    [Fact]
    public async Task Add_WhileTheKeyIsReconciled_WaitsUntilDone_SoItIsNeverReconciledTwiceAtOnce()
    {
        using var queue = CreateSut();
        queue.Add("ns/a");
        var key = await queue.TakeAsync(CancellationToken.None);

        queue.Add("ns/a");
        var second = queue.TakeAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        queue.Done(key);
        Assert.Equal("ns/a", await second.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task AddAfter_ComesDueOnlyWhenTheClockGetsThere_AndTheEarlierWakeUpWins()
    {
        using var queue = CreateSut();
        queue.AddAfter("ns/a", TimeSpan.FromMinutes(10));
        queue.AddAfter("ns/a", TimeSpan.FromMinutes(2));
        var taken = queue.TakeAsync(CancellationToken.None).AsTask();

        _clock.Advance(TimeSpan.FromMinutes(1));
        await Task.Delay(50);
        Assert.False(taken.IsCompleted);

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("ns/a", await taken.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void AddWithBackoff_DoublesPerFailureUpToTheCap_AndForgetStartsAfresh()
    {
        using var queue = CreateSut();

        var delays = Enumerable.Range(0, 6).Select(_ => queue.AddWithBackoff("ns/a")).ToList();
        queue.Forget("ns/a");

        Assert.Equal([1, 2, 4, 8, 10, 10], delays.Select(d => d.TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(1), queue.AddWithBackoff("ns/a"));
    }
}
