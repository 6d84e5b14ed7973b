using CallImport.Operator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CallImport.Operator.Tests.EndToEnd;

/// <summary>An operator replica as an in-process host, built exactly as Program.cs builds it, settings given in memory.</summary>
internal sealed class OperatorInstance : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private OperatorInstance(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public Leadership Leadership => _app.Services.GetRequiredService<Leadership>();

    /// <summary>
    /// Cancelled once the host asked itself to stop (e.g. after losing the lead); Program's RunAsync then stops
    /// it and exits, which a test host started with StartAsync leaves to <see cref="StopAsync"/>.
    /// </summary>
    public CancellationToken Stopping => _app.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;

    public static async Task<OperatorInstance> StartAsync(IReadOnlyDictionary<string, string?> settings, TimeProvider? time = null)
    {
        var app = OperatorHost.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            if (time is not null)
                builder.Services.AddSingleton(time);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new OperatorInstance(app, new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    /// <summary>Stops as on SIGTERM: watches end, a reconcile under way finishes.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
            return;
        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public ValueTask DisposeAsync() => new(StopAsync());
}
