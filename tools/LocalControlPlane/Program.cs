using CallImport.LocalControlPlane;

// dotnet run --project tools/LocalControlPlane -- [--port N] [--kubeconfig PATH] [--state PATH] [--no-kubelet]
// The kubelet runs by default: `make local-cluster` is for trying the operator, whose Jobs must run.
var port = 0;
var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG_OUT") is { Length: > 0 } fromEnv ? fromEnv : ".local/kubeconfig";
string? statePath = null;
var kubelet = true;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length:
            port = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            break;
        case "--kubeconfig" when i + 1 < args.Length:
            kubeconfig = args[++i];
            break;
        case "--state" when i + 1 < args.Length:
            statePath = args[++i];
            break;
        case "--no-kubelet":
            kubelet = false;
            break;
        default:
            await Console.Error.WriteLineAsync($"unknown argument {args[i]}; usage: [--port N] [--kubeconfig PATH] [--state PATH] [--no-kubelet]");
            return 2;
    }
}

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

await using (var plane = await LocalControlPlane.StartAsync(new LocalControlPlaneOptions { Port = port, StatePath = statePath, RunKubelet = kubelet }))
{
    plane.WriteKubeconfig(kubeconfig);
    Console.WriteLine($"local control plane ready at {plane.Url} (kubeconfig: {Path.GetFullPath(kubeconfig)})");
    Console.WriteLine($"  export KUBECONFIG={Path.GetFullPath(kubeconfig)}");
    try
    {
        await Task.Delay(Timeout.Infinite, stop.Token);
    }
    catch (OperationCanceledException)
    {
        Console.WriteLine("stopping local control plane");
    }
}
return 0;
