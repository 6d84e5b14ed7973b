namespace CallImport.LocalControlPlane.Tests;

public sealed class StartupTests
{
    [Fact]
    public async Task StartOnAPortInUse_Throws_AndTheFirstPlaneKeepsServing()
    {
        await using var first = await LocalControlPlane.StartAsync(new LocalControlPlaneOptions { Port = 0 });

        await Assert.ThrowsAnyAsync<IOException>(() => LocalControlPlane.StartAsync(new LocalControlPlaneOptions { Port = first.Url.Port }));

        using var http = new HttpClient { BaseAddress = first.Url };
        Assert.Contains("\"minor\":\"32\"", await http.GetStringAsync("version"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Components_StartWithTheUrlAndAreDisposedWithThePlane()
    {
        var component = new RecordingComponent();

        await using (var plane = await LocalControlPlane.StartAsync(new LocalControlPlaneOptions { Port = 0, Components = [component] }))
        {
            Assert.Equal(plane.Url, component.StartedWith);
            Assert.False(component.Disposed);
        }

        Assert.True(component.Disposed);
    }

    private sealed class RecordingComponent : IControlPlaneComponent
    {
        public Uri? StartedWith { get; private set; }

        public bool Disposed { get; private set; }

        public Task StartAsync(LocalControlPlane plane, CancellationToken cancellationToken)
        {
            StartedWith = plane.Url;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
