using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace CallImport.LocalControlPlane.Tests.Validation;

/// <summary>Labels, annotations and names refused as a real API server refuses them (422 naming the field).</summary>
public sealed class MetadataValidationTests : PlaneTest
{
    private async Task<string> RefusedAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, error.Response.StatusCode);
        return (string?)JsonNode.Parse(error.Response.Content)!["message"] ?? "";
    }

    private static V1ConfigMap Map(string name, Dictionary<string, string>? labels = null, Dictionary<string, string>? annotations = null) =>
        new() { Metadata = new V1ObjectMeta { Name = name, Labels = labels, Annotations = annotations } };

    [Fact]
    public async Task LabelValueOver63Characters_Refused()
    {
        var message = await RefusedAsync(() => Client.CreateNamespacedConfigMapAsync(Map("m", new() { ["app"] = new string('a', 64) }), "default"));

        Assert.Contains("metadata.labels: Invalid value", message);
        Assert.Contains("must be no more than 63 characters", message);
    }

    [Theory]
    [InlineData("app", "-starts-with-dash")]
    [InlineData("app", "has space")]
    [InlineData("Bad_Prefix.io/app", "ok")]
    [InlineData("example.com/", "ok")]
    [InlineData("a/b/c", "ok")]
    public async Task InvalidLabelKeyOrValue_Refused(string key, string value)
    {
        var message = await RefusedAsync(() => Client.CreateNamespacedConfigMapAsync(Map("m", new() { [key] = value }), "default"));

        Assert.Contains("metadata.labels", message);
    }

    [Fact]
    public async Task ValidLabels_Accepted()
    {
        var created = await Client.CreateNamespacedConfigMapAsync(Map("m", new()
        {
            ["app.kubernetes.io/name"] = "callimport-runner",
            ["empty"] = "",
            ["x"] = new string('a', 63),
            ["Mixed_Case.ok"] = "A.b-c_9",
        }), "default");

        Assert.Equal(4, created.Metadata.Labels.Count);
    }

    [Fact]
    public async Task AnnotationsOver256KiB_Refused_AndOnUpdateToo()
    {
        var message = await RefusedAsync(() => Client.CreateNamespacedConfigMapAsync(Map("m", annotations: new() { ["note"] = new string('x', 256 * 1024) }), "default"));
        Assert.Contains("metadata.annotations: Too long: may not be more than 262144 bytes", message);

        var created = await Client.CreateNamespacedConfigMapAsync(Map("m2", annotations: new() { ["note"] = "small" }), "default");
        created.Metadata.Annotations["note"] = new string('x', 300 * 1024);
        await RefusedAsync(() => Client.ReplaceNamespacedConfigMapAsync(created, "m2", "default"));
    }

    [Fact]
    public async Task JobWithATooLongPodTemplateLabel_Refused()
    {
        var job = new V1Job
        {
            Metadata = new V1ObjectMeta { Name = "j" },
            Spec = new V1JobSpec
            {
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["owner"] = new string('o', 100) } },
                    Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "c", Image = "busybox" }] },
                },
            },
        };

        var message = await RefusedAsync(() => Client.CreateNamespacedJobAsync(job, "default"));

        Assert.Contains("spec.template.metadata.labels", message);
    }

    [Theory]
    [InlineData("UpperCase")]
    [InlineData("under_score")]
    [InlineData("-dash-first")]
    public async Task InvalidObjectName_Refused(string name)
    {
        var message = await RefusedAsync(() => Client.CreateNamespacedConfigMapAsync(Map(name), "default"));

        Assert.Contains("metadata.name: Invalid value", message);
    }

    [Fact]
    public async Task NameOver253Characters_Refused_AndNamespaceNameOver63()
    {
        await RefusedAsync(() => Client.CreateNamespacedConfigMapAsync(Map(new string('n', 254)), "default"));
        await RefusedAsync(() => Client.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = new string('n', 64) } }));
    }
}
