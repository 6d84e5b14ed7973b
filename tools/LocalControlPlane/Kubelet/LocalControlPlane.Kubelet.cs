using CallImport.LocalControlPlane.Kubelet;
using Microsoft.Extensions.Logging;

namespace CallImport.LocalControlPlane;

public sealed partial class LocalControlPlane
{
    // RunKubelet (on by default on the command line) adds a kubelet configured from the environment that logs what it runs
    // to the console, unless the caller already passed one in Components.
    static partial void AddHostedComponents(LocalControlPlaneOptions options, List<IControlPlaneComponent> components)
    {
        if (options.RunKubelet && !components.OfType<KubeletComponent>().Any())
        {
            components.Add(new KubeletComponent(KubeletOptions.FromEnvironment(), ConsoleLog()));
        }
    }

    private static ILoggerFactory ConsoleLog() => LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Information)
        .AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        }));
}
