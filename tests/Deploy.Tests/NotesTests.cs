using System.Text.RegularExpressions;
using k8s;

namespace CallImport.Deploy.Tests;

/// <summary>NOTES.txt tells how to apply a first ImportJob, and what it shows is an ImportJob the API server accepts.</summary>
public sealed partial class NotesTests
{
    [Fact]
    public async Task TheFirstImportJob_InTheNotes_IsAcceptedByTheApiServer()
    {
        var notes = Chart.Render("watchNamespaces: [team-a]").Notes;
        var manifest = FirstImport().Match(notes);
        Assert.True(manifest.Success, "NOTES.txt has no ImportJob between <<'YAML' and YAML:\n" + notes);
        Assert.Contains("kubectl -n team-a apply -f - <<'YAML'", notes, StringComparison.Ordinal);
        Assert.Contains("kubectl -n team-a create secret generic acme-grain", notes, StringComparison.Ordinal);

        await using var plane = await ControlPlane.StartAsync();
        await plane.InstallCrdAsync();
        await plane.CreateNamespacesAsync("team-a");
        var body = Chart.YamlToJson(manifest.Groups["yaml"].Value)!;
        var created = await plane.Client.CustomObjects.CreateNamespacedCustomObjectAsync(body, "callimport.io", "v1alpha1", "team-a", "importjobs");
        Assert.Contains("\"customerId\":\"acme\"", System.Text.Json.JsonSerializer.Serialize(created), StringComparison.Ordinal);
        // The Secret it names is the one the notes create.
        Assert.Equal("acme-grain", (string?)body["spec"]!["credentialsSecretRef"]!["name"]);
    }

    [Fact]
    public void TheNotes_NameTheDatabaseSecretsOfBothRoles_InTheirNamespaces()
    {
        var notes = Chart.Render("watchNamespaces: [team-a, team-b]").Notes;
        Assert.Contains("kubectl -n callimport-system create secret generic callimport-database-operator", notes, StringComparison.Ordinal);
        Assert.Contains("kubectl -n team-a create secret generic callimport-database", notes, StringComparison.Ordinal);
        Assert.Contains("kubectl -n team-b create secret generic callimport-database", notes, StringComparison.Ordinal);
        Assert.Contains("WARNING: runner.storage is empty", notes, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", Chart.Render("runner: { storage: gs://acme-media/calls }").Notes, StringComparison.Ordinal);
        Assert.Contains("helm test callimport -n callimport-system", notes, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"<<'YAML'\n(?<yaml>.*?)\nYAML\n", RegexOptions.Singleline)]
    private static partial Regex FirstImport();
}
