using k8s;

namespace CallImport.LocalControlPlane.Tests;

/// <summary>kubectl's typed create commands send protobuf bodies; the plane reads them for the kinds people create by hand.</summary>
public sealed class KubectlCreateTests : PlaneTest
{
    [SkippableFact]
    public async Task CreateNamespaceAndSecret_WorkAsOnACluster()
    {
        Kubectl.SkipWhenAbsent();

        (await Kubectl.RunAsync("create", "namespace", "imports")).EnsureSuccess();
        (await Kubectl.RunAsync("create", "secret", "generic", "platform", "-n", "imports", "--from-literal=token=s3cret")).EnsureSuccess();
        (await Kubectl.RunAsync("create", "configmap", "settings", "-n", "imports", "--from-literal=mode=full")).EnsureSuccess();

        var secret = await Client.ReadNamespacedSecretAsync("platform", "imports");
        var settings = await Client.ReadNamespacedConfigMapAsync("settings", "imports");
        Assert.Equal("s3cret", System.Text.Encoding.UTF8.GetString(secret.Data["token"]));
        Assert.Equal("Opaque", secret.Type);
        Assert.Equal("full", settings.Data["mode"]);
        var namespaces = (await Kubectl.RunAsync("get", "namespaces", "-o", "name")).EnsureSuccess().Stdout;
        Assert.Contains("namespace/imports", namespaces, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task DeleteNamespace_RemovesWhatIsInIt()
    {
        Kubectl.SkipWhenAbsent();
        (await Kubectl.RunAsync("create", "namespace", "scratch")).EnsureSuccess();
        (await Kubectl.RunAsync("create", "configmap", "temp", "-n", "scratch")).EnsureSuccess();

        (await Kubectl.RunAsync("delete", "namespace", "scratch")).EnsureSuccess();

        Assert.DoesNotContain(
            (await Client.ListNamespaceAsync()).Items, n => n.Metadata.Name == "scratch");
        Assert.Empty((await Client.ListConfigMapForAllNamespacesAsync()).Items);
    }
}
