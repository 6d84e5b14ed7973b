using System.Net;
using System.Text.Json.Nodes;
using CallImport.LocalControlPlane.Deletion;
using CallImport.LocalControlPlane.Http;
using CallImport.LocalControlPlane.Resources;
using CallImport.LocalControlPlane.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallImport.LocalControlPlane;

/// <summary>
/// An in-process Kubernetes API server on 127.0.0.1 (plain HTTP, no auth) that kubectl and
/// KubernetesClient drive like a cluster. <c>await using var plane = await LocalControlPlane.StartAsync(new() { Port = 0 });</c>
/// </summary>
public sealed partial class LocalControlPlane : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly GarbageCollector collector;
    private readonly StateWriter? state;
    private readonly List<IControlPlaneComponent> components;
    private readonly CancellationTokenSource stopping;

    private LocalControlPlane(WebApplication app, ResourceApi api, PodLogs logs, GarbageCollector collector, StateWriter? state,
        List<IControlPlaneComponent> components, LocalControlPlaneOptions options, CancellationTokenSource stopping)
    {
        this.stopping = stopping;
        this.app = app;
        Api = api;
        PodLogs = logs;
        this.collector = collector;
        this.state = state;
        this.components = components;
        Options = options;
    }

    /// <summary>The base URL, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Url { get; private set; } = new("http://127.0.0.1/");

    public LocalControlPlaneOptions Options { get; }

    /// <summary>Direct access to the REST semantics and the store (for components and tests).</summary>
    public ResourceApi Api { get; }

    /// <summary>Where pods' logs are; the kubelet registers each pod's log file here.</summary>
    public PodLogs PodLogs { get; }

    public static async Task<LocalControlPlane> StartAsync(LocalControlPlaneOptions options, CancellationToken cancellationToken = default)
    {
        var time = options.TimeProvider;
        var store = new ObjectStore(options.WatchHistorySize);
        StateWriter? state = null;
        if (options.StatePath is { } path)
        {
            var file = new StateFile(path);
            file.TryLoad(store);
            state = new StateWriter(file, store);
        }
        var admission = options.Admission;
        DefaultAdmission(ref admission);
        var api = new ResourceApi(store, new ResourceCatalog(), admission ?? new AdmitAllCustomResources(), time);
        EnsureSystemNamespaces(api);
        api.RebuildCatalog();
        var logs = new PodLogs();

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        if (!options.VerboseLogging)
        {
            builder.Logging.ClearProviders();
        }
        var app = builder.Build();
        // Cancelled first on dispose, so open watches end cleanly instead of holding up the shutdown.
        var stopping = new CancellationTokenSource();
        var endpoint = new ApiEndpoint(api, new WatchStream(api, time, stopping.Token), logs, time);
        var observe = options.RequestObserved;
        app.Run(observe is null ? endpoint.HandleAsync : context =>
        {
            observe(context.Request);
            return endpoint.HandleAsync(context);
        });

        var components = new List<IControlPlaneComponent>(options.Components);
        AddHostedComponents(options, components);
        var collector = new GarbageCollector(api);
        var plane = new LocalControlPlane(app, api, logs, collector, state, components, options, stopping);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            // Typically the port is taken; nothing else has started yet.
            await app.DisposeAsync();
            stopping.Dispose();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        plane.Url = new Uri(address.EndsWith('/') ? address : address + "/");
        collector.Start();
        state?.Start();
        try
        {
            foreach (var component in components)
            {
                await component.StartAsync(plane, cancellationToken);
            }
        }
        catch
        {
            await plane.DisposeAsync();
            throw;
        }
        return plane;
    }

    /// <summary>Writes a kubeconfig pointing at this server (no credentials).</summary>
    public void WriteKubeconfig(string path) => Kubeconfig.Write(path, Url);

    /// <summary>Filled in by the schema-validation part when it is compiled in.</summary>
    static partial void DefaultAdmission(ref ICustomResourceAdmission? admission);

    /// <summary>Filled in by the kubelet part when it is compiled in (honouring <see cref="LocalControlPlaneOptions.RunKubelet"/>).</summary>
    static partial void AddHostedComponents(LocalControlPlaneOptions options, List<IControlPlaneComponent> components);

    private static void EnsureSystemNamespaces(ResourceApi api)
    {
        foreach (var name in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            if (api.Store.Get("namespaces", "", name) is null)
            {
                api.Create(new ApiRequest
                {
                    Type = BuiltInTypes.Namespaces,
                    Query = new Dictionary<string, string>(),
                    Body = new JsonObject { ["metadata"] = new JsonObject { ["name"] = name } },
                });
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var component in Enumerable.Reverse(components))
        {
            await component.DisposeAsync();
        }
        await stopping.CancelAsync();
        await app.StopAsync();
        await app.DisposeAsync();
        await collector.DisposeAsync();
        if (state is not null)
        {
            await state.DisposeAsync();
        }
        stopping.Dispose();
    }
}
