using CallImport.Benchmarks.Framework;
using CallImport.Benchmarks.Sections;

namespace CallImport.Benchmarks;

/// <summary>
/// Every section of `make bench`, in the order they run. A new measurement is one class implementing
/// <see cref="IBenchSection"/> (under Sections/) and one line here.
/// </summary>
public static class BenchSections
{
    public static IReadOnlyList<IBenchSection> All { get; } =
    [
        new StartSection(),
        new PipelineSection(),
        new MemorySection(),
        new LoadTestSection(),
        new OperatorScaleSection(),
        new LimitsSection(),
    ];
}
