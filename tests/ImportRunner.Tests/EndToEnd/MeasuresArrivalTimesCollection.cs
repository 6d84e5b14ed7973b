namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// Tests whose fake judges requests by when they arrive run alone, after the others: tests running beside
/// them would keep the fake's threads busy and blur its clock.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresArrivalTimesCollection
{
    public const string Name = "measures arrival times";
}
