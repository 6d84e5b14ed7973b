using CallImport.ImportJobs;
using k8s;

namespace CallImport.Operator.Hosting;

/// <summary>
/// <c>Operator check --readyz URL</c>: the chart's <c>helm test</c>. Passes when the operator's /readyz answers
/// 200 and the API server serves callimport.io/v1alpha1 (the CRD is installed and established). Uses API
/// discovery only, which every authenticated ServiceAccount may read, so the test pod needs no permissions.
/// </summary>
public static class ReleaseCheck
{
    public const string Command = "check";

    public static async Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        string? readyz = null, kubeconfig = null;
        var wait = TimeSpan.FromSeconds(60);
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--readyz" when i + 1 < args.Length: readyz = args[++i]; break;
                case "--kubeconfig" when i + 1 < args.Length: kubeconfig = args[++i]; break;
                case "--wait-seconds" when i + 1 < args.Length && int.TryParse(args[i + 1], out var seconds): wait = TimeSpan.FromSeconds(seconds); i++; break;
                default:
                    await output.WriteLineAsync($"check: unknown argument '{args[i]}'. Usage: Operator check --readyz <url> [--kubeconfig <file>] [--wait-seconds <n>]");
                    return 2;
            }
        }
        if (readyz is null || !Uri.TryCreate(readyz, UriKind.Absolute, out var readyzUri))
        {
            await output.WriteLineAsync("check: --readyz <url> is required, e.g. http://callimport-metrics.callimport.svc:8080/readyz");
            return 2;
        }

        var ready = await ReadyAsync(readyzUri, wait, output, cancellationToken);
        var served = await ServedAsync(kubeconfig, output, cancellationToken);
        await output.WriteLineAsync(ready && served ? "check: passed" : "check: FAILED");
        return ready && served ? 0 : 1;
    }

    /// <summary>/readyz, tried again for a while: a replica that just started syncs its caches first.</summary>
    private static async Task<bool> ReadyAsync(Uri url, TimeSpan wait, TextWriter output, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var until = DateTimeOffset.UtcNow + wait;
        var answer = "";
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(url, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    await output.WriteLineAsync($"check: {url} answered {(int)response.StatusCode}");
                    return true;
                }
                answer = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                answer = e.Message;
            }
            if (DateTimeOffset.UtcNow >= until)
                break;
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
        await output.WriteLineAsync($"check: {url} is not ready ({answer}); see kubectl logs of the operator pods");
        return false;
    }

    private static async Task<bool> ServedAsync(string? kubeconfig, TextWriter output, CancellationToken cancellationToken)
    {
        var groupVersion = ImportJobResource.ApiVersion;
        try
        {
            using var client = new Kubernetes(OperatorHost.ClientConfiguration(new OperatorSettings { Kubeconfig = kubeconfig }));
            var groups = await client.Apis.GetAPIVersionsAsync(cancellationToken);
            if (groups.Groups.Any(g => g.Versions.Any(v => v.GroupVersion == groupVersion)))
            {
                await output.WriteLineAsync($"check: the API server serves {groupVersion} ({ImportJobResource.Plural})");
                return true;
            }
            await output.WriteLineAsync($"check: the API server does not serve {groupVersion}: install the CRD (crds.install=true, or kubectl apply -f config/crd/)");
        }
        catch (Exception e) when (e is HttpRequestException or k8s.Autorest.HttpOperationException or k8s.Exceptions.KubeConfigException)
        {
            await output.WriteLineAsync($"check: could not ask the API server ({e.GetType().Name}: {e.Message})");
        }
        return false;
    }
}
