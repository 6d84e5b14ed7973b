using CallImport.ImportRunner.Limits;
using CallImport.Testing.Fakes;

namespace CallImport.Benchmarks.Framework;

/// <summary>
/// What an import's requests cost in each of the platform's declared limit groups. The fake labels each request
/// with the group the VENDOR counts it in (from its documentation); a label naming no declared group (a storage
/// or provider host, a token endpoint the vendor does not limit) counts in none — as the runner does: those
/// downloads are tagged "no limit" and, since the daily quota follows the tag, outside the daily cap too. A
/// labelled request also counts in every group the runner's own classifier puts it in (Dialpad's get-call is
/// in "overall" too); where the runner leaves out the vendor's group, that is listed in <see cref="Disagreements"/>.
/// </summary>
public sealed record RequestsByGroup(int Calls, long Total, IReadOnlyDictionary<string, long> PerGroup, long Limited,
    IReadOnlyDictionary<string, long> Outside, IReadOnlyList<string> Disagreements)
{
    private static readonly Uri VendorHost = new("http://vendor.invalid/");

    public static RequestsByGroup Count(PlatformLimits limits, IReadOnlyList<FakeRequest> traffic, int calls)
    {
        var perGroup = limits.Groups.ToDictionary(g => g.Name, _ => 0L, StringComparer.Ordinal);
        var outside = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var disagreements = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long limited = 0;
        foreach (var request in traffic)
        {
            var vendor = request.LimitGroup is { } label ? limits.Groups.FirstOrDefault(g => string.Equals(g.Name, label, StringComparison.OrdinalIgnoreCase)) : null;
            if (vendor is null)
            {
                var key = request.LimitGroup ?? "no vendor limit";
                outside[key] = outside.GetValueOrDefault(key) + 1;
                continue;
            }
            using var message = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(VendorHost, request.Path.TrimStart('/')));
            var runner = limits.GroupsOf(message);
            if (!runner.Contains(vendor))
            {
                var key = $"{request.Method} requests the vendor counts in {vendor.Name}, the runner in {string.Join("+", runner.Select(g => g.Name))}";
                disagreements[key] = disagreements.GetValueOrDefault(key) + 1;
            }
            foreach (var group in runner.Append(vendor).Distinct()) perGroup[group.Name]++;
            limited++;
        }
        return new RequestsByGroup(calls, traffic.Count, perGroup, limited, outside, [.. disagreements.Select(d => $"{d.Key} (×{d.Value})")]);
    }

    public double PerCall(string group) => PerGroup.GetValueOrDefault(group) / (double)Calls;

    /// <summary>Requests per call in any declared group: what a daily cap counts.</summary>
    public double LimitedPerCall => Limited / (double)Calls;

    /// <summary>"heavy 1.004, auth 0.0020; outside any limit: Storage 1.00", for people.</summary>
    public string Describe() =>
        string.Join(", ", PerGroup.Where(g => g.Value > 0).Select(g => $"{g.Key} {BenchFigure.Format(g.Value / (double)Calls)}"))
        + (Outside.Count > 0 ? "; in no declared limit: " + string.Join(", ", Outside.Select(o => $"{o.Key} {BenchFigure.Format(o.Value / (double)Calls)}")) : "");
}
