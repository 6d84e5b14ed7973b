using System.Text.RegularExpressions;
using CallImport.Deploy.Tests.Rendering;

namespace CallImport.Deploy.Tests;

/// <summary>
/// Least privilege: the chart's Roles hold exactly the verbs the operator's code uses. The verbs are derived from the
/// code: every KubernetesClient call in src/Operator (group from the API property, verb and resource from the
/// method name), KubernetesClient's LeaseLock for leader election, and blockOwnerDeletion on the runner Jobs
/// (which needs update on importjobs/finalizers). A new call without its verb, or a verb nothing uses, fails.
/// </summary>
public sealed partial class RbacTests
{
    private static readonly string OperatorSource = Path.Combine(Chart.Root, "src", "Operator");

    [Fact]
    public void OperatorRoles_HoldExactlyTheVerbsTheCodeUses()
    {
        var used = VerbsUsedByTheCode().Where(p => p.Resource != "leases").ToHashSet();
        foreach (var values in new[] { null, "watchNamespaces: [team-a, team-b]", "watchAllNamespaces: true" })
        {
            var chart = Chart.Render(values);
            foreach (var role in chart.Objects.Where(o => o.Kind is "Role" or "ClusterRole" && o.Name == "callimport"))
            {
                var granted = Granted(role).ToHashSet();
                Assert.True(granted.SetEquals(used),
                    $"{role} with values '{values}': granted but unused: [{string.Join(", ", granted.Except(used))}]; used but not granted: [{string.Join(", ", used.Except(granted))}]");
            }
        }
    }

    [Fact]
    public void LeaderElectionRole_HoldsExactlyTheLeaseVerbs_InTheReleaseNamespace()
    {
        var used = VerbsUsedByTheCode().Where(p => p.Resource == "leases").ToHashSet();
        var role = Chart.Render("watchNamespaces: [team-a]").One("Role", "-leader-election");
        Assert.Equal("callimport-system", role.Namespace);
        Assert.True(Granted(role).ToHashSet().SetEquals(used), $"leases: granted [{string.Join(", ", Granted(role))}], used [{string.Join(", ", used)}]");
    }

    [Fact]
    public void NoRule_UsesAWildcard()
    {
        var chart = Chart.Render("watchAllNamespaces: true");
        foreach (var role in chart.Objects.Where(o => o.Kind is "Role" or "ClusterRole"))
            foreach (var rule in role.Body["rules"]!.AsArray())
                Assert.DoesNotContain("*", new[] { "apiGroups", "resources", "verbs" }.SelectMany(k => rule![k]!.AsArray().Select(v => (string)v!)));
    }

    [Fact]
    public void TheDerivation_RecognisesEveryCallItFinds()
    {
        // Guards the derivation itself: it found the calls it must (or the scan went blind).
        var used = VerbsUsedByTheCode();
        Assert.Contains(new Permission("callimport.io", "importjobs", "watch"), used);
        Assert.Contains(new Permission("", "secrets", "delete"), used);
        Assert.Contains(new Permission("batch", "jobs", "create"), used);
        Assert.Contains(new Permission("callimport.io", "importjobs/status", "patch"), used);
    }

    internal sealed record Permission(string Group, string Resource, string Verb)
    {
        public override string ToString() => $"{(Group.Length == 0 ? "core" : Group)}/{Resource}:{Verb}";
    }

    private static IEnumerable<Permission> Granted(RenderedObject role) =>
        role.Body["rules"]!.AsArray().SelectMany(rule =>
            from g in rule!["apiGroups"]!.AsArray()
            from r in rule["resources"]!.AsArray()
            from v in rule["verbs"]!.AsArray()
            select new Permission((string)g!, (string)r!, (string)v!));

    /// <summary>Every API call in src/Operator as (group, resource, verb).</summary>
    internal static HashSet<Permission> VerbsUsedByTheCode()
    {
        var used = new HashSet<Permission>();
        foreach (var file in Directory.GetFiles(OperatorSource, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
        {
            var code = File.ReadAllText(file);
            foreach (Match call in ApiCall().Matches(code))
                used.Add(Derive(call.Groups["api"].Value, call.Groups["method"].Value, CallText(code, call.Index), file));
            if (code.Contains("new LeaseLock(", StringComparison.Ordinal))
            {
                // KubernetesClient's LeaseLock reads the Lease, creates it when missing, and replaces it to renew or take it.
                used.Add(new Permission("coordination.k8s.io", "leases", "get"));
                used.Add(new Permission("coordination.k8s.io", "leases", "create"));
                used.Add(new Permission("coordination.k8s.io", "leases", "update"));
            }
            if (BlockOwnerDeletion().IsMatch(code))
                used.Add(new Permission("callimport.io", "importjobs/finalizers", "update"));
        }
        return used;
    }

    private static Permission Derive(string api, string method, string callText, string file)
    {
        var group = api switch
        {
            "CoreV1" => "",
            "BatchV1" => "batch",
            "CoordinationV1" => "coordination.k8s.io",
            "CustomObjects" => "callimport.io",
            "EventsV1" => "events.k8s.io",
            _ => throw new InvalidOperationException($"{file}: client.{api}.{method}: unknown API group; teach RbacTests (and the chart) about it"),
        };
        var verb = VerbPrefixes.FirstOrDefault(p => method.StartsWith(p.Prefix, StringComparison.Ordinal));
        if (verb.Prefix is null)
            throw new InvalidOperationException($"{file}: client.{api}.{method}: no verb known for this method; teach RbacTests (and the chart) about it");
        var rest = method[verb.Prefix.Length..].Replace("Namespaced", "", StringComparison.Ordinal).Replace("Cluster", "", StringComparison.Ordinal)
            .Replace("ForAllNamespaces", "", StringComparison.Ordinal);
        var status = rest.EndsWith("Status", StringComparison.Ordinal);
        if (status)
            rest = rest[..^"Status".Length];
        string resource;
        if (rest == "CustomObject")
        {
            if (!callText.Contains("ImportJobResource.Plural", StringComparison.Ordinal))
                throw new InvalidOperationException($"{file}: client.CustomObjects.{method} on something other than ImportJobs; teach RbacTests about it");
            resource = "importjobs";
        }
        else
        {
            resource = rest.ToLowerInvariant() + "s";
        }
        return new Permission(group, status ? resource + "/status" : resource, verb.Verb);
    }

    /// <summary>KubernetesClient method prefixes and their RBAC verbs (the longest prefixes first).</summary>
    private static readonly (string Prefix, string Verb)[] VerbPrefixes =
    [
        ("WatchList", "watch"), ("DeleteCollection", "deletecollection"), ("List", "list"), ("Read", "get"), ("Get", "get"),
        ("Create", "create"), ("Replace", "update"), ("Patch", "patch"), ("Delete", "delete"),
    ];

    /// <summary>The call's text up to its closing parenthesis (enough to see which plural a CustomObjects call names).</summary>
    private static string CallText(string code, int start)
    {
        var depth = 0;
        for (var i = code.IndexOf('(', start); i >= 0 && i < code.Length; i++)
        {
            depth += code[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
                return code[start..(i + 1)];
        }
        return code[start..];
    }

    [GeneratedRegex(@"\.(?<api>CoreV1|BatchV1|CoordinationV1|CustomObjects|EventsV1|AppsV1|ApiextensionsV1|RbacAuthorizationV1|NetworkingV1)\.(?<method>[A-Z][A-Za-z0-9]*?)(?:WithHttpMessages)?Async\s*\(")]
    private static partial Regex ApiCall();

    [GeneratedRegex(@"BlockOwnerDeletion\s*=\s*true")]
    private static partial Regex BlockOwnerDeletion();
}
