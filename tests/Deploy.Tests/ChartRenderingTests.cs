using System.Text.Json.Nodes;
using CallImport.Deploy.Tests.Rendering;

namespace CallImport.Deploy.Tests;

/// <summary>Every path of the templates that values switch, rendered and checked object by object.</summary>
public sealed class ChartRenderingTests
{
    private const string ReleaseNamespace = "callimport-system";

    private static string[] Objects(RenderedChart chart) => [.. chart.Objects.Select(o => $"{o.Kind} {o.Namespace}/{o.Name}").Order(StringComparer.Ordinal)];

    [Fact]
    public void Defaults_InstallTheOperatorWatchingItsOwnNamespace()
    {
        var chart = Chart.Render();
        Assert.Equal(
        [
            "CustomResourceDefinition /importjobs.callimport.io",
            $"Deployment {ReleaseNamespace}/callimport",
            $"Pod {ReleaseNamespace}/callimport-test",
            $"PodDisruptionBudget {ReleaseNamespace}/callimport",
            $"Role {ReleaseNamespace}/callimport",
            $"Role {ReleaseNamespace}/callimport-leader-election",
            $"RoleBinding {ReleaseNamespace}/callimport",
            $"RoleBinding {ReleaseNamespace}/callimport-leader-election",
            $"Service {ReleaseNamespace}/callimport-metrics",
            $"ServiceAccount {ReleaseNamespace}/callimport",
            $"ServiceAccount {ReleaseNamespace}/callimport-runner",
            $"ServiceAccount {ReleaseNamespace}/callimport-test",
        ], Objects(chart));
        var env = Chart.OperatorEnvironment(chart);
        Assert.Equal(ReleaseNamespace, (string?)env["Operator__WatchNamespace"]);
        Assert.Equal("callimport-runner", (string?)env["Operator__RunnerServiceAccountName"]);
    }

    [Fact]
    public void WatchNamespaces_GiveRolesRunnerAccountsAndTheOperatorSettingInThoseNamespacesOnly()
    {
        var chart = Chart.Render("watchNamespaces: [team-a, team-b]");
        var roles = chart.OfKind("Role").Where(r => r.Name == "callimport").Select(r => r.Namespace).Order(StringComparer.Ordinal);
        Assert.Equal(["team-a", "team-b"], roles);
        Assert.Equal(["team-a", "team-b"], chart.OfKind("RoleBinding").Where(r => r.Name == "callimport").Select(r => r.Namespace).Order(StringComparer.Ordinal));
        Assert.Empty(chart.OfKind("ClusterRole"));
        Assert.Empty(chart.OfKind("ClusterRoleBinding"));
        Assert.Equal(["team-a", "team-b"], chart.OfKind("ServiceAccount").Where(s => s.Name == "callimport-runner").Select(s => s.Namespace).Order(StringComparer.Ordinal));
        Assert.Equal("team-a,team-b", (string?)Chart.OperatorEnvironment(chart)["Operator__WatchNamespace"]);
        // The Lease stays where the operator runs.
        Assert.Equal(ReleaseNamespace, chart.One("Role", "-leader-election").Namespace);
        foreach (var binding in chart.OfKind("RoleBinding"))
            Assert.Equal(ReleaseNamespace, (string?)binding.Body["subjects"]![0]!["namespace"]);
    }

    [Fact]
    public void WatchAllNamespaces_IsTheOnlyWayToClusterWidePermissions()
    {
        var chart = Chart.Render("watchAllNamespaces: true");
        var role = chart.One("ClusterRole");
        Assert.Null(role.Namespace);
        Assert.Equal("ClusterRole", (string?)chart.One("ClusterRoleBinding").Body["roleRef"]!["kind"]);
        Assert.DoesNotContain(chart.OfKind("Role"), r => r.Name == "callimport");
        Assert.DoesNotContain(chart.OfKind("ServiceAccount"), s => s.Name.EndsWith("-runner", StringComparison.Ordinal));
        var env = Chart.OperatorEnvironment(chart);
        Assert.Equal("", (string?)env["Operator__WatchNamespace"]);
        Assert.Equal("", (string?)env["Operator__RunnerServiceAccountName"]);
        Assert.Contains("every namespace", chart.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void WatchAllNamespaces_WithANamedRunnerAccount_PassesItOn()
    {
        var env = Chart.OperatorEnvironment(Chart.Render("watchAllNamespaces: true\nrunner: { serviceAccount: { name: importer } }"));
        Assert.Equal("importer", (string?)env["Operator__RunnerServiceAccountName"]);
    }

    [Fact]
    public void RunnerServiceAccount_HasNoTokenAndNoBinding()
    {
        var chart = Chart.Render("watchNamespaces: [team-a]");
        var account = chart.One("ServiceAccount", "-runner");
        Assert.False((bool)account.Body["automountServiceAccountToken"]!);
        var bound = chart.Objects.Where(o => o.Kind is "RoleBinding" or "ClusterRoleBinding")
            .SelectMany(b => b.Body["subjects"]!.AsArray()).Select(s => (string?)s!["name"]);
        Assert.DoesNotContain(account.Name, bound);
    }

    [Fact]
    public void RbacCreateFalse_RendersNoRoles()
    {
        var chart = Chart.Render("rbac: { create: false }");
        Assert.DoesNotContain(chart.Objects, o => o.Kind.Contains("Role", StringComparison.Ordinal));
    }

    [Fact]
    public void ServiceAccountCreateFalse_UsesTheNamedOne()
    {
        var chart = Chart.Render("serviceAccount: { create: false, name: platform-operator }");
        Assert.DoesNotContain(chart.OfKind("ServiceAccount"), s => s.Name == "callimport");
        Assert.Equal("platform-operator", (string?)chart.One("Deployment").Body["spec"]!["template"]!["spec"]!["serviceAccountName"]);
        Assert.All(chart.OfKind("RoleBinding"), b => Assert.Equal("platform-operator", (string?)b.Body["subjects"]![0]!["name"]));
    }

    [Fact]
    public void Crds_InstallAndKeep_Switch()
    {
        Assert.Equal("keep", (string?)Chart.Render().One("CustomResourceDefinition").Body["metadata"]!["annotations"]!["helm.sh/resource-policy"]);
        Assert.Null(Chart.Render("crds: { keep: false }").One("CustomResourceDefinition").Body["metadata"]!["annotations"]);
        var without = Chart.Render("crds: { install: false }");
        Assert.Empty(without.OfKind("CustomResourceDefinition"));
        Assert.Contains("config/crd/", without.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Deployment_RunsHardenedWithTheDatabaseSecretAndProbes()
    {
        var pod = Chart.Render().One("Deployment").Body["spec"]!["template"]!["spec"]!;
        Assert.True((bool)pod["securityContext"]!["runAsNonRoot"]!);
        Assert.Equal(65532, (int)pod["securityContext"]!["runAsUser"]!);
        Assert.Equal("RuntimeDefault", (string?)pod["securityContext"]!["seccompProfile"]!["type"]);
        var container = pod["containers"]![0]!;
        Assert.True((bool)container["securityContext"]!["readOnlyRootFilesystem"]!);
        Assert.False((bool)container["securityContext"]!["allowPrivilegeEscalation"]!);
        Assert.Equal("ALL", (string?)container["securityContext"]!["capabilities"]!["drop"]![0]);
        Assert.Equal("/tmp", (string?)container["volumeMounts"]![0]!["mountPath"]);
        Assert.Equal("/readyz", (string?)container["readinessProbe"]!["httpGet"]!["path"]);
        Assert.Equal("/healthz", (string?)container["livenessProbe"]!["httpGet"]!["path"]);
        Assert.Equal(8080, (int)container["ports"]![0]!["containerPort"]!);
        var database = Chart.OperatorEnvironment(Chart.Render())["Operator__DatabaseConnectionString"]!;
        Assert.Equal("callimport-database-operator", (string?)database["secretKeyRef"]!["name"]);
    }

    [Fact]
    public void EveryEnvironmentValue_IsAString()
    {
        var chart = Chart.Render("runner: { activeDeadlineSeconds: 86400, extraEnv: { CALLIMPORT_PLATFORM_RPS_OVERRIDE: \"50\" } }");
        var env = Chart.OperatorEnvironment(chart);
        Assert.Equal("86400", (string?)env["Operator__RunnerActiveDeadlineSeconds"]);
        Assert.Equal("50", (string?)env["Operator__RunnerEnvironment__CALLIMPORT_PLATFORM_RPS_OVERRIDE"]);
        Assert.All(env.Where(e => e.Value is not JsonObject), e => Assert.True(e.Value is JsonValue v && v.TryGetValue<string>(out _), $"{e.Key} must be a string"));
        Assert.False(Chart.OperatorEnvironment(Chart.Render()).ContainsKey("Operator__RunnerActiveDeadlineSeconds"));
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void PodDisruptionBudget_OnlyWithSeveralReplicas(int replicas, bool expected)
    {
        var chart = Chart.Render($"replicaCount: {replicas}");
        Assert.Equal(expected, chart.OfKind("PodDisruptionBudget").Any());
        Assert.Empty(Chart.Render("podDisruptionBudget: { enabled: false }").OfKind("PodDisruptionBudget"));
    }

    [Fact]
    public void ServiceMonitor_ScrapesTheMetricsServicePort()
    {
        Assert.Empty(Chart.Render().OfKind("ServiceMonitor"));
        var chart = Chart.Render("metrics: { serviceMonitor: { enabled: true, labels: { release: kube-prometheus-stack } } }");
        var monitor = chart.One("ServiceMonitor").Body;
        Assert.Equal("kube-prometheus-stack", (string?)monitor["metadata"]!["labels"]!["release"]);
        var endpoint = monitor["spec"]!["endpoints"]![0]!;
        Assert.Equal("/metrics", (string?)endpoint["path"]);
        var service = chart.One("Service").Body;
        Assert.Equal((string?)endpoint["port"], (string?)service["spec"]!["ports"]![0]!["name"]);
        Assert.True(JsonNode.DeepEquals(monitor["spec"]!["selector"]!["matchLabels"], service["spec"]!["selector"]));
    }

    [Fact]
    public void HelmTest_ChecksTheMetricsServiceWithAnAccountOfItsOwn()
    {
        var chart = Chart.Render();
        var pod = chart.One("Pod", "-test").Body;
        Assert.Equal("test", (string?)pod["metadata"]!["annotations"]!["helm.sh/hook"]);
        var container = pod["spec"]!["containers"]![0]!;
        Assert.Equal(["check", "--readyz", $"http://callimport-metrics.{ReleaseNamespace}.svc:8080/readyz"], container["args"]!.AsArray().Select(a => (string)a!));
        Assert.Equal((string?)chart.One("Deployment").Body["spec"]!["template"]!["spec"]!["containers"]![0]!["image"], (string?)container["image"]);
        var account = (string?)pod["spec"]!["serviceAccountName"];
        Assert.Equal("test", (string?)chart.OfKind("ServiceAccount").Single(s => s.Name == account).Body["metadata"]!["annotations"]!["helm.sh/hook"]);
        Assert.DoesNotContain(chart.Objects.Where(o => o.Kind.EndsWith("Binding", StringComparison.Ordinal)).SelectMany(b => b.Body["subjects"]!.AsArray()), s => (string?)s!["name"] == account);
        Assert.Empty(Chart.Render("tests: { enabled: false }").OfKind("Pod"));
    }

    [Fact]
    public void NetworkPolicy_WithoutTheApiServerAndDatabaseAddresses_IsRefused()
    {
        var error = Assert.Throws<TemplateException>(() => Chart.Render("networkPolicy: { enabled: true }"));
        Assert.Contains("cidrs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NetworkPolicy_OperatorReachesApiServerAndDatabase_RunnersDnsDatabaseAndHttps()
    {
        var chart = Chart.Render("""
            watchNamespaces: [team-a, team-b]
            networkPolicy:
              enabled: true
              apiServer: { cidrs: [10.0.0.1/32] }
              database: { cidrs: [10.1.2.3/32], port: 5433 }
              runnerHttps: { except: [10.0.0.0/8] }
            """);
        var policies = chart.OfKind("NetworkPolicy").ToList();
        Assert.Equal(3, policies.Count);
        var operatorPolicy = policies.Single(p => p.Namespace == ReleaseNamespace).Body["spec"]!;
        Assert.Equal(["10.0.0.1/32", "10.1.2.3/32", ""], Destinations(operatorPolicy));
        Assert.Equal(8080, (int)operatorPolicy["ingress"]![0]!["ports"]![0]!["port"]!);

        var runner = policies.Single(p => p.Namespace == "team-a").Body["spec"]!;
        Assert.Equal("callimport-runner", (string?)runner["podSelector"]!["matchLabels"]!["app.kubernetes.io/name"]);
        Assert.Empty(runner["ingress"]!.AsArray());
        Assert.Equal(["0.0.0.0/0", "10.1.2.3/32", ""], Destinations(runner));
        Assert.Equal("10.0.0.0/8", (string?)runner["egress"]![0]!["to"]![0]!["ipBlock"]!["except"]![0]);
        Assert.Equal([443], runner["egress"]![0]!["ports"]!.AsArray().Select(p => (int)p!["port"]!));
        Assert.Equal([5433], runner["egress"]![1]!["ports"]!.AsArray().Select(p => (int)p!["port"]!));
        Assert.Equal([53, 53], runner["egress"]![2]!["ports"]!.AsArray().Select(p => (int)p!["port"]!));
        Assert.Contains(policies, p => p.Namespace == "team-b");
    }

    [Fact]
    public void TheRunnerNetworkPolicy_SelectsThePodsTheOperatorCreates()
    {
        var chart = Chart.Render("networkPolicy: { enabled: true, apiServer: { cidrs: [10.0.0.1/32] }, database: { cidrs: [10.1.2.3/32] } }");
        var selector = chart.OfKind("NetworkPolicy").Single(p => p.Name.EndsWith("-runner", StringComparison.Ordinal)).Body["spec"]!["podSelector"]!["matchLabels"]!.AsObject();
        var job = RunnerJobs.Sample();
        foreach (var (label, value) in selector)
            Assert.Equal((string?)value, job.Spec.Template.Metadata.Labels[label]);
    }

    [Fact]
    public void ImagesAndRelease_NamesFlowThrough()
    {
        var chart = Chart.Render("image: { tag: 1.2.3 }\nrunner: { image: { repository: registry.example/runner, tag: 9.9.9 } }");
        Assert.Equal("ghcr.io/callimport/operator:1.2.3", (string?)chart.One("Deployment").Body["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]);
        Assert.Equal("registry.example/runner:9.9.9", (string?)Chart.OperatorEnvironment(chart)["Operator__RunnerImage"]);
    }

    [Fact]
    public void EveryNamespacedObject_NamesItsNamespace()
    {
        var chart = Chart.Render("watchNamespaces: [team-a]\nnetworkPolicy: { enabled: true, apiServer: { cidrs: [10.0.0.1/32] }, database: { cidrs: [10.1.2.3/32] } }\nmetrics: { serviceMonitor: { enabled: true } }");
        foreach (var item in chart.Objects.Where(o => o.Kind is not ("CustomResourceDefinition" or "ClusterRole" or "ClusterRoleBinding")))
            Assert.False(string.IsNullOrEmpty(item.Namespace), $"{item} has no namespace");
    }

    private static string[] Destinations(JsonNode spec) =>
        [.. spec["egress"]!.AsArray().Select(rule => (string?)rule!["to"]![0]!["ipBlock"]?["cidr"] ?? "")];
}
