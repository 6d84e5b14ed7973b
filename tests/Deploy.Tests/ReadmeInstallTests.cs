using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CallImport.Deploy.Tests;

/// <summary>The README's "Installing on a cluster" names only values that exist, and every top-level value.</summary>
public sealed partial class ReadmeInstallTests
{
    private static string Section()
    {
        var readme = Chart.ReadRepositoryFile("README.md");
        var start = readme.IndexOf("## Installing on a cluster", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no 'Installing on a cluster' section");
        var end = readme.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        return end < 0 ? readme[start..] : readme[start..end];
    }

    private static JsonObject Values => Chart.YamlToJson(Chart.Read("values.yaml"))!.AsObject();

    [Fact]
    public void EveryValueTheSectionNames_Exists()
    {
        var values = Values;
        var named = NamedValues(Section(), values).ToList();
        Assert.True(named.Count > 40, $"found only {named.Count} value names: the scan went blind");
        foreach (var path in named)
            Assert.True(Exists(values, path.Split('.')), $"README names `{path}`, which values.yaml does not have");
    }

    [Fact]
    public void EveryTopLevelValue_IsInTheSection()
    {
        var named = NamedValues(Section(), Values).Select(p => p.Split('.')[0]).ToHashSet();
        foreach (var key in Values.Select(v => v.Key))
            Assert.True(named.Contains(key), $"values.yaml has `{key}`, which the README's install section never mentions");
    }

    [Fact]
    public void TheSection_DescribesMakeImagesAndTheUpgradePath()
    {
        var section = Section();
        Assert.Contains("make images PUSH=1 REGISTRY=", section, StringComparison.Ordinal);
        Assert.Contains("### Upgrading", section, StringComparison.Ordinal);
        Assert.Contains("helm.sh/resource-policy: keep", section, StringComparison.Ordinal);
        Assert.Contains("Migrations", section, StringComparison.Ordinal);
    }

    /// <summary>
    /// Backticked value paths (<c>runner.image.tag</c>), <c>--set</c> keys, and table shorthands: in
    /// <c>`image.repository` / `image.tag`</c> or <c>`serviceAccount.create` / `.name`</c> each part is a path.
    /// </summary>
    private static IEnumerable<string> NamedValues(string section, JsonObject values)
    {
        foreach (Match set in SetFlag().Matches(section))
            yield return set.Groups["path"].Value;
        foreach (var line in section.Split('\n'))
        {
            string? parent = null;
            foreach (Match code in Backticked().Matches(line))
            {
                var text = code.Groups["code"].Value;
                if (text.StartsWith('.') && parent is not null)
                {
                    yield return parent + text;
                    continue;
                }
                var path = text.EndsWith(".*", StringComparison.Ordinal) ? text[..^2] : text;
                if (!ValuePath().IsMatch(path) || !values.ContainsKey(path.Split('.')[0]))
                    continue;
                parent = path.Contains('.', StringComparison.Ordinal) ? path[..path.LastIndexOf('.')] : path;
                yield return path;
            }
        }
    }

    private static bool Exists(JsonNode? node, string[] path) =>
        path.Length == 0 || (node is JsonObject o && o.TryGetPropertyValue(path[0], out var child) && Exists(child, path[1..]));

    [GeneratedRegex("--set (?<path>[A-Za-z][A-Za-z0-9.]*)=")]
    private static partial Regex SetFlag();

    [GeneratedRegex("`(?<code>[^`]+)`")]
    private static partial Regex Backticked();

    [GeneratedRegex(@"^[a-z][A-Za-z0-9]*(\.[A-Za-z][A-Za-z0-9]*)*$")]
    private static partial Regex ValuePath();
}
