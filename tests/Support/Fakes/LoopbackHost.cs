using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace CallImport.Testing.Fakes;

/// <summary>
/// The one way every fake listens: Kestrel on 127.0.0.1 over real HTTP, one handler for every request. The empty
/// builder reads no configuration files, so many fakes in one test run cost no file watchers.
/// </summary>
public static class LoopbackHost
{
    /// <summary>Starts on <paramref name="ports"/> (0 = a free port); the addresses come back in the ports' order, without a trailing slash.</summary>
    public static async Task<(WebApplication App, IReadOnlyList<string> Addresses)> StartAsync(RequestDelegate handler, CancellationToken cancellationToken, params int[] ports)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            foreach (var port in ports) k.Listen(IPAddress.Loopback, port);
        });
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(cancellationToken);
        // Kestrel reports the bound addresses in the order of the Listen calls.
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses
            .Select(a => a.TrimEnd('/')).ToList();
        return (app, addresses);
    }
}
