using System.Text.RegularExpressions;
using CallImport.Operator.Reconciliation;
using CallImport.Operator.Runs;
using static CallImport.Operator.Tests.Reconciliation.Scenario;

namespace CallImport.Operator.Tests.Runs;

public sealed partial class LabelValueTests
{
    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex ValidLabelValue();

    [Theory]
    [InlineData("acme-grain")]
    [InlineData("a-name-of-exactly-sixty-three-characters-xxxxxxxxxxxxxxxxxxxxxx")]
    public void For_ShortName_Unchanged(string name) => Assert.Equal(name, LabelValue.For(name));

    [Fact]
    public void For_LongNames_ValidDistinctAndStable()
    {
        var a = new string('a', 200) + "-one";
        var b = new string('a', 200) + "-two";

        Assert.Equal(LabelValue.For(a), LabelValue.For(a));
        Assert.NotEqual(LabelValue.For(a), LabelValue.For(b));
        Assert.All(new[] { LabelValue.For(a), LabelValue.For(b), LabelValue.For(new string('x', 52) + "-----------.") },
            v => Assert.True(v.Length <= 63 && ValidLabelValue().IsMatch(v), v));
    }

    [Fact]
    public void RunnerJobTemplate_ImportJobOf253Characters_EveryLabelValueFitsAndTheOwnerIsStillFound()
    {
        var name = "acme-" + new string('g', 248);
        var job = NewJob() with { Metadata = NewJob().Metadata with { Name = name } };

        var runnerJob = RunnerJobTemplate.Build(job, new ReconcileAction.CreateRunnerJob(1, RunnerJobName.For(name, 1), null), Settings);

        Assert.All(runnerJob.Metadata.Labels.Values.Concat(runnerJob.Spec.Template.Metadata.Labels.Values), v => Assert.True(v.Length <= 63 && ValidLabelValue().IsMatch(v), v));
        Assert.Equal(name, RunnerJobLabels.ImportJobOf(runnerJob.Metadata));
    }
}
