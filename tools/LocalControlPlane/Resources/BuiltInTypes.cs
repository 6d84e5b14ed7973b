namespace CallImport.LocalControlPlane.Resources;

/// <summary>The built-in kinds the operator and people use.</summary>
public static class BuiltInTypes
{
    public static ResourceType Namespaces { get; } = new()
    {
        Group = "", Version = "v1", Plural = "namespaces", Singular = "namespace", Kind = "Namespace",
        Namespaced = false, ShortNames = ["ns"], HasStatus = true,
    };

    public static ResourceType Events { get; } = new()
    {
        Group = "", Version = "v1", Plural = "events", Singular = "event", Kind = "Event",
        Namespaced = true, ShortNames = ["ev"],
        SelectableFields = new Dictionary<string, string>
        {
            ["involvedObject.kind"] = ".involvedObject.kind",
            ["involvedObject.namespace"] = ".involvedObject.namespace",
            ["involvedObject.name"] = ".involvedObject.name",
            ["involvedObject.uid"] = ".involvedObject.uid",
            ["involvedObject.apiVersion"] = ".involvedObject.apiVersion",
            ["involvedObject.resourceVersion"] = ".involvedObject.resourceVersion",
            ["involvedObject.fieldPath"] = ".involvedObject.fieldPath",
            ["reason"] = ".reason",
            ["type"] = ".type",
            ["source"] = ".source.component",
            ["reportingComponent"] = ".reportingComponent",
        },
    };

    /// <summary>Same storage as core events; fields mapped by <see cref="EventConversion"/>.</summary>
    public static ResourceType NewEvents { get; } = new()
    {
        Group = "events.k8s.io", Version = "v1", Plural = "events", Singular = "event", Kind = "Event",
        Namespaced = true, ShortNames = ["ev"], StorageOverride = "events",
        SelectableFields = new Dictionary<string, string>
        {
            ["regarding.kind"] = ".involvedObject.kind",
            ["regarding.namespace"] = ".involvedObject.namespace",
            ["regarding.name"] = ".involvedObject.name",
            ["regarding.uid"] = ".involvedObject.uid",
            ["reason"] = ".reason",
            ["type"] = ".type",
            ["reportingController"] = ".reportingComponent",
        },
    };

    public static IReadOnlyList<ResourceType> All { get; } =
    [
        Namespaces,
        new() { Group = "", Version = "v1", Plural = "secrets", Singular = "secret", Kind = "Secret", Namespaced = true,
            SelectableFields = new Dictionary<string, string> { ["type"] = ".type" } },
        new() { Group = "", Version = "v1", Plural = "configmaps", Singular = "configmap", Kind = "ConfigMap", Namespaced = true, ShortNames = ["cm"] },
        Events,
        new() { Group = "", Version = "v1", Plural = "pods", Singular = "pod", Kind = "Pod", Namespaced = true, ShortNames = ["po"],
            Categories = ["all"], HasStatus = true,
            SelectableFields = new Dictionary<string, string>
            {
                ["spec.nodeName"] = ".spec.nodeName",
                ["spec.restartPolicy"] = ".spec.restartPolicy",
                ["spec.serviceAccountName"] = ".spec.serviceAccountName",
                ["status.phase"] = ".status.phase",
                ["status.podIP"] = ".status.podIP",
            } },
        // Stored as given (no cluster IPs): enough for kubectl cluster-info and manifests that include one.
        new() { Group = "", Version = "v1", Plural = "services", Singular = "service", Kind = "Service", Namespaced = true, ShortNames = ["svc"],
            Categories = ["all"], HasStatus = true },
        new() { Group = "", Version = "v1", Plural = "serviceaccounts", Singular = "serviceaccount", Kind = "ServiceAccount", Namespaced = true, ShortNames = ["sa"] },
        new() { Group = "batch", Version = "v1", Plural = "jobs", Singular = "job", Kind = "Job", Namespaced = true,
            Categories = ["all"], HasStatus = true, HasGeneration = true,
            SelectableFields = new Dictionary<string, string> { ["status.successful"] = ".status.succeeded" } },
        new() { Group = "coordination.k8s.io", Version = "v1", Plural = "leases", Singular = "lease", Kind = "Lease", Namespaced = true },
        NewEvents,
        new() { Group = "apiextensions.k8s.io", Version = "v1", Plural = "customresourcedefinitions", Singular = "customresourcedefinition",
            Kind = "CustomResourceDefinition", Namespaced = false, ShortNames = ["crd", "crds"], HasStatus = true, HasGeneration = true },
    ];
}
