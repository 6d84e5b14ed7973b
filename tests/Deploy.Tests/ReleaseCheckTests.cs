using System.Net;
using CallImport.Operator.Hosting;

namespace CallImport.Deploy.Tests;

/// <summary>
/// The helm test's command (<c>Operator check --readyz URL</c>) against the local control plane: it passes only when
/// /readyz answers 200 and the API server serves ImportJobs, and says which part failed.
/// </summary>
public sealed class ReleaseCheckTests
{
    [Theory]
    [InlineData(true, HttpStatusCode.OK, 0, "check: passed")]
    [InlineData(false, HttpStatusCode.OK, 1, "does not serve callimport.io/v1alpha1: install the CRD")]
    [InlineData(true, HttpStatusCode.ServiceUnavailable, 1, "is not ready (HTTP 503)")]
    public async Task Check_PassesOnlyWhenReadyAndServed(bool crdInstalled, HttpStatusCode readyz, int exitCode, string says)
    {
        await using var plane = await ControlPlane.StartAsync();
        if (crdInstalled)
            await plane.InstallCrdAsync();
        using var operatorHttp = ReadyzEndpoint.Start(readyz);
        using var output = new StringWriter();

        var code = await ReleaseCheck.RunAsync(["--readyz", operatorHttp.Url, "--kubeconfig", plane.KubeconfigPath, "--wait-seconds", "0"], output);

        Assert.Equal(exitCode, code);
        Assert.Contains(says, output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "--readyz <url> is required")]
    [InlineData(new[] { "--readyz", "http://x/readyz", "--verbose" }, "unknown argument '--verbose'")]
    public async Task Check_WithoutItsArguments_SaysHowToCallIt(string[] args, string says)
    {
        using var output = new StringWriter();
        Assert.Equal(2, await ReleaseCheck.RunAsync(args, output));
        Assert.Contains(says, output.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A /readyz on loopback that answers with a fixed status (the operator itself runs in PublishedAppsTests).</summary>
    private sealed class ReadyzEndpoint : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();

        private ReadyzEndpoint(HttpStatusCode status)
        {
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}/readyz";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    HttpListenerContext context;
                    try
                    {
                        context = await _listener.GetContextAsync();
                    }
                    catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                    {
                        return;
                    }
                    context.Response.StatusCode = (int)status;
                    context.Response.Close();
                }
            });
        }

        public string Url { get; }

        public static ReadyzEndpoint Start(HttpStatusCode status) => new(status);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Close();
            _stop.Dispose();
        }

        private static int FreePort()
        {
            using var socket = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            socket.Start();
            return ((IPEndPoint)socket.LocalEndpoint).Port;
        }
    }
}
