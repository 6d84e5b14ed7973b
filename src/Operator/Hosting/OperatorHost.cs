using System.Net;
using CallImport.Operator.Controller;
using CallImport.Operator.ApiServer;
using CallImport.Operator.Metrics;
using CallImport.Store;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Prometheus;
using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace CallImport.Operator.Hosting;

/// <summary>
/// The operator's host: settings from section <c>Operator</c> (environment <c>Operator__X</c>), validated at start;
/// the store's migrations; leader election; the controller; /healthz, /readyz and /metrics on <c>HttpPort</c>.
/// Tests build it in-process and may replace services (the TimeProvider) through <paramref name="configure"/>.
/// </summary>
public static class OperatorHost
{
    public const string Section = "Operator";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Services.AddSingleton(TimeProvider.System);
        configure?.Invoke(builder);

        var settings = builder.Configuration.GetSection(Section).Get<OperatorSettings>() ?? new OperatorSettings();
        builder.Services.AddOptions<OperatorSettings>().Bind(builder.Configuration.GetSection(Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OperatorSettings>, OperatorSettingsValidation>();
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IOptions<OperatorSettings>>().Value);
        builder.Services.AddSerilog((_, logging) => ConfigureLogging(logging, settings), preserveStaticLogger: true);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Any, settings.HttpPort));
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(25));

        // From the validated settings, so that bad settings stop the start with their messages before any client exists.
        builder.Services.AddSingleton<IKubernetes>(sp => new k8s.Kubernetes(ClientConfiguration(sp.GetRequiredService<OperatorSettings>())));
        builder.Services.AddSingleton(sp => NpgsqlDataSource.Create(sp.GetRequiredService<OperatorSettings>().DatabaseConnectionString));
        builder.Services.AddSingleton(sp => new ImportStore(sp.GetRequiredService<NpgsqlDataSource>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => OperatorIdentity.From(sp.GetRequiredService<OperatorSettings>()));
        builder.Services.AddSingleton<Leadership>();
        builder.Services.AddSingleton<ControllerState>();
        builder.Services.AddSingleton<OperatorMetrics>();
        builder.Services.AddSingleton<EventRecorder>();
        builder.Services.AddSingleton<CallImport.Operator.Audit.AuditTrail>();
        builder.Services.AddSingleton<CallImport.Operator.Notifications.SlackNotifier>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CallImport.Operator.Notifications.SlackNotifier>());
        builder.Services.AddHostedService<StoreTotalsPublisher>();
        // In this order: the schema exists before anything reads progress; then the lead; then the loop.
        builder.Services.AddHostedService<StoreMigrations>();
        builder.Services.AddHostedService<LeaderElectionService>();
        builder.Services.AddHostedService<ImportJobController>();

        var app = builder.Build();
        app.MapGet("/healthz", HealthEndpoints.Healthz);
        app.MapGet("/readyz", HealthEndpoints.Readyz);
        app.MapMetrics("/metrics");
        return app;
    }

    /// <summary>Kubeconfig from the setting, else KUBECONFIG, else the in-cluster service account, else ~/.kube/config.</summary>
    internal static KubernetesClientConfiguration ClientConfiguration(OperatorSettings settings)
    {
        if (!string.IsNullOrEmpty(settings.Kubeconfig))
            return FromKubeconfig(settings.Kubeconfig);
        if (Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } path)
            return FromKubeconfig(path);
        return KubernetesClientConfiguration.IsInCluster()
            ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildDefaultConfig();
    }

    /// <summary>
    /// A kubeconfig file; one whose user has no credentials at all (a local development API server, which
    /// kubectl accepts) connects without authentication, where KubernetesClient would refuse it.
    /// </summary>
    private static KubernetesClientConfiguration FromKubeconfig(string path)
    {
        try
        {
            return KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        }
        catch (k8s.Exceptions.KubeConfigException)
        {
            var kubeconfig = KubernetesClientConfiguration.LoadKubeConfig(path);
            var context = kubeconfig.Contexts.Single(c => c.Name == kubeconfig.CurrentContext);
            var user = kubeconfig.Users?.FirstOrDefault(u => u.Name == context.ContextDetails.User)?.UserCredentials;
            if (user is not null && (user.Token ?? user.ClientCertificateData ?? user.ClientCertificate ?? user.UserName) is not null)
                throw;
            var cluster = kubeconfig.Clusters.Single(c => c.Name == context.ContextDetails.Cluster);
            return new KubernetesClientConfiguration { Host = cluster.ClusterEndpoint.Server, Namespace = context.ContextDetails.Namespace };
        }
    }

    private static void ConfigureLogging(LoggerConfiguration logging, OperatorSettings settings)
    {
        var level = Enum.TryParse<LogEventLevel>(settings.LogLevel, ignoreCase: true, out var parsed) ? parsed : LogEventLevel.Information;
        logging.MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http", LogEventLevel.Warning)
            .Enrich.FromLogContext();
        if (settings.LogFormat == "text")
            logging.WriteTo.Console(outputTemplate: "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}", formatProvider: System.Globalization.CultureInfo.InvariantCulture);
        else
            logging.WriteTo.Console(new RenderedCompactJsonFormatter());
    }
}
