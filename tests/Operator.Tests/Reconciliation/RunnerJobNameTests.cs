using CallImport.Operator.Reconciliation;

namespace CallImport.Operator.Tests.Reconciliation;

public sealed class RunnerJobNameTests
{
    [Fact]
    public void For_ShortName_NameDashRunNumber()
    {
        Assert.Equal("acme-grain-r12", RunnerJobName.For("acme-grain", 12));
    }

    [Fact]
    public void For_LongName_FitsLabelAndStaysDistinctAndStable()
    {
        var a = new string('a', 80) + "-one";
        var b = new string('a', 80) + "-two";

        var nameA = RunnerJobName.For(a, 3);

        Assert.True(nameA.Length <= 63, nameA);
        Assert.EndsWith("-r3", nameA, StringComparison.Ordinal);
        Assert.Equal(nameA, RunnerJobName.For(a, 3));
        Assert.NotEqual(nameA, RunnerJobName.For(b, 3));
    }
}
