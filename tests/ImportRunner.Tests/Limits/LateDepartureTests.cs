using System.Net.Sockets;
using CallImport.ImportRunner.Limits;
using CallImport.ImportRunner.Platforms;
using CallImport.Testing.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CallImport.ImportRunner.Tests.Limits;

/// <summary>
/// A slot is granted some time before its request is written to a connection: the timeout pipeline, the
/// connection pool, a connection being opened, a preempted thread. On a loaded machine that took longer than the
/// slack (18 ms measured in two runner processes sharing a credential), and the request reached the vendor in
/// the window after its slot's, on top of the requests planned there. Here the delay is a connection that takes
/// 100 ms of a fake clock to open, after the limiter granted the slot and the handler found it on time.
/// </summary>
public sealed class LateDepartureTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RequestReachingItsConnectionAfterTheDeadline_IsNotSentOnTheStaleSlot_AndTakesANewOne(bool sharedBudget)
    {
        var time = new FakeTimeProvider(Start);
        var group = new LimitGroup("overall", 2, TimeSpan.FromSeconds(1));
        await using var server = await ScriptedServer.StartAsync(time);
        using var limiter = new RequestLimiter(new PlatformLimits([group]), time, sharedBudget ? new FakeClockRateWindows(time).ForProcess() : null);
        var statistics = new RequestStatistics();
        var transport = VendorTransport.Create();
        var connections = 0;
        transport.ConnectCallback = async (context, cancellationToken) =>
        {
            // The third request's connection opens 100 ms (ten slacks) after its slot was granted and found on time.
            if (Interlocked.Increment(ref connections) == 3) time.Advance(TimeSpan.FromMilliseconds(100));
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        };
        var departures = new DepartureRecorder();
        var handler = new PlatformRequestHandler(limiter, null, statistics, new RequestRetrySettings(), VendorSignals.Default, time, NullLogger.Instance, transport) { Departures = departures };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };

        // Five requests one after another, each on a connection of its own. Slots: 0 (and a cold start's spare at
        // 0.3 s), 1.02, 1.32, 2.04, 2.34 s. Sent 100 ms late, the third would share a window with the fourth and fifth.
        var requests = Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, server.Url);
                request.Headers.ConnectionClose = true;
                (await client.SendAsync(request)).Dispose();
            }
        });
        for (var steps = 0; !requests.IsCompleted; steps++)
        {
            if (steps > 20_000) throw new TimeoutException("the requests never all went");
            time.Advance(TimeSpan.FromMilliseconds(1));
            await Task.Delay(1);
        }
        await requests;

        var arrivals = server.Arrivals;
        Assert.Equal(5, arrivals.Count);
        Assert.True(FakeTrafficLog.MaxInAnyWindow(arrivals, group.Window) <= group.PermitLimit,
            $"{FakeTrafficLog.MaxInAnyWindow(arrivals, group.Window)} requests in one window (limit {group.PermitLimit}): {string.Join(", ", arrivals.Select(a => (a - Start).TotalSeconds.ToString("0.000")))} s");
        Assert.True(statistics.NotSentLate >= 1, "the late request was sent on its stale slot");
        Assert.Equal(5, statistics.Requests);
        // The recorder keeps the five that left, each on time for its slot, and not the one refused at its connection.
        var left = departures.Entries;
        Assert.Equal(5, left.Count);
        Assert.All(left, d => Assert.InRange(d.DepartedAt, d.SlotAt, d.Deadline));
        Assert.True(FakeTrafficLog.MaxInAnyWindow(left.Select(d => d.DepartedAt), group.Window) <= group.PermitLimit, "more departures in one window than the limit");
    }
}
