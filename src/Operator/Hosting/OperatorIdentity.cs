namespace CallImport.Operator.Hosting;

/// <summary>This replica's name in the Lease: the setting, else the pod's name, else host name and process id.</summary>
public sealed record OperatorIdentity(string Name)
{
    public static OperatorIdentity From(OperatorSettings settings) => new(
        !string.IsNullOrEmpty(settings.Identity) ? settings.Identity
        : Environment.GetEnvironmentVariable("POD_NAME") is { Length: > 0 } pod ? pod
        : $"{Environment.MachineName}-{Environment.ProcessId}");
}
