namespace CallImport.ImportRunner.Tests.EndToEnd;

/// <summary>
/// Tests whose fake judges requests by when they arrive run alone, after the others: tests running beside
/// them would keep the fake's threads busy and blur its clock.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuresArrivalTimesCollection
{
    public const string Name = "measures arrival times";

    /// <summary>
    /// How late a fake may stamp a request's arrival and still judge a limiter's windows: the limiter keeps a slack of
    /// 10 ms (1-s windows) for a request's journey to the vendor (GroupWindowSettings); a fake whose process ran work
    /// later than that blurs its arrival times by the delay (<see cref="ProcessStallWatch"/>).
    /// </summary>
    public static readonly TimeSpan FakeDelayAllowed = TimeSpan.FromMilliseconds(10);
}
