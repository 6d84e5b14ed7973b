using System.CommandLine;
using System.Reflection;
using CallImport.ImportJobs;
using CallImport.ImportRunner.Cli;
using CallImport.Operator.Reconciliation;
using CallImport.Operator.Runs;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Runs;

/// <summary>The runner's command line and exit codes, as the operator uses them, are the ones the runner parses and returns.</summary>
public sealed class RunnerContractTests
{
    [Fact]
    public void RunnerArguments_ParsedByTheRunner_CarryEveryPartOfTheSpec()
    {
        var job = NewJob() with
        {
            Spec = NewJob().Spec with
            {
                DateRange = new DateRange { Start = Utc("2025-01-01T00:00:00Z"), End = Utc("2025-07-01T00:00:00Z") },
                Filters = new Dictionary<string, string> { ["team"] = "sales", ["participant_scope"] = "external" },
                InternalDomains = ["acme.com", "acme.io"],
                RateLimit = new RateLimitSpec { RequestsPerSecond = 0.5, RequestsPerDay = 900 },
                Concurrency = 7,
                MaxAttemptsPerCall = 3,
            },
        };
        var args = RunnerArguments.For(job, new ReconcileAction.CreateRunnerJob(2, JobName(2), WindowEnd));

        ImportArguments? parsed = null;
        var command = ImportCommand.Create((a, _) => { parsed = a; return Task.FromResult(0); });
        var exit = command.Parse([.. args, RunnerFlags.Database, "Host=127.0.0.1"]).Invoke();

        Assert.Equal(0, exit);
        Assert.NotNull(parsed);
        Assert.Equal(("grain", "acme", RunnerJobTemplate.CredentialsPath), (parsed.Platform, parsed.CustomerId, parsed.CredentialsDirectory));
        Assert.Equal((Utc("2025-01-01T00:00:00Z"), Utc("2025-07-01T00:00:00Z"), WindowEnd), (parsed.From, parsed.To, parsed.StopAt));
        Assert.Equal(("0b7a6f1e-uid", "0b7a6f1e-uid", JobName(2)), (parsed.ImportId, parsed.BatchId, parsed.RunId));
        Assert.Equal(new Dictionary<string, string> { ["participant_scope"] = "external", ["team"] = "sales" }, parsed.Filters);
        Assert.Equal(["acme.com", "acme.io"], parsed.InternalDomains);
        Assert.Equal((0.5, 900L, 7, 3), (parsed.RequestsPerSecond, parsed.RequestsPerDay, parsed.Concurrency, parsed.MaxAttemptsPerCall));
    }

    [Fact]
    public void RunnerFlags_EachOneIsAnOptionOfTheRunnersImportCommand()
    {
        var command = ImportCommand.Create((_, _) => Task.FromResult(0));
        var options = command.Options.Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        var flags = typeof(RunnerFlags).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!).Where(v => v.StartsWith("--", StringComparison.Ordinal)).ToList();

        Assert.Equal(RunnerFlags.ImportCommand, command.Name);
        Assert.NotEmpty(flags);
        Assert.All(flags, flag => Assert.Contains(flag, options));
        Assert.All(options.Where(o => o.StartsWith("--", StringComparison.Ordinal) && o != "--help" && o != "--version"), option => Assert.Contains(option, flags));
    }

    [Fact]
    public void RunnerJobTemplate_FailsTheJobAtOnceOnTheRunnersDeliberateCodes()
    {
        var job = RunnerJobTemplate.Build(NewJob(), new ReconcileAction.CreateRunnerJob(1, JobName(1), null), Settings);

        Assert.Equal(
            [RunnerExitCodes.CallsFailed, RunnerExitCodes.CouldNotStart, RunnerExitCodes.StoppedEarly],
            job.Spec.PodFailurePolicy.Rules.Single().OnExitCodes.Values);
    }
}
