using k8s.Models;

namespace CallImport.LocalControlPlane.Tests.Kubelet;

public sealed class PodFailurePolicyTests
{
    private static void FailJobOn(V1Job job, params int[] exitCodes) =>
        job.Spec.PodFailurePolicy = new V1PodFailurePolicy
        {
            Rules =
            [
                new V1PodFailurePolicyRule
                {
                    Action = "FailJob",
                    OnExitCodes = new V1PodFailurePolicyOnExitCodesRequirement { ContainerName = "main", OperatorProperty = "In", Values = exitCodes },
                },
            ],
        };

    [Fact]
    public async Task ExitCodeListedInAFailJobRule_FailsTheJobAtOnce_WithoutRetryingThePod()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.CreateJobAsync("deliberate", ["/bin/sh", "-c", "exit 3"], backoffLimit: 4, configure: job => FailJobOn(job, 2, 3, 4));

        var failed = await cluster.JobWithConditionAsync("deliberate", "Failed");

        var condition = failed.Status.Conditions.Single(c => c.Type == "Failed");
        Assert.Equal("PodFailurePolicy", condition.Reason);
        Assert.Contains("exit code 3 matching FailJob rule at index 0", condition.Message, StringComparison.Ordinal);
        Assert.Single(await cluster.PodsOfAsync("deliberate"));
    }

    [Fact]
    public async Task ExitCodeNotListed_CountsAgainstTheBackoffLimitAsUsual()
    {
        await using var cluster = await KubeletCluster.StartAsync();
        await cluster.CreateJobAsync("crashing", ["/bin/sh", "-c", "exit 1"], backoffLimit: 1, configure: job => FailJobOn(job, 2, 3, 4));

        var failed = await cluster.JobWithConditionAsync("crashing", "Failed");

        Assert.Equal("BackoffLimitExceeded", failed.Status.Conditions.Single(c => c.Type == "Failed").Reason);
        Assert.Equal(2, (await cluster.PodsOfAsync("crashing")).Count);
    }
}
