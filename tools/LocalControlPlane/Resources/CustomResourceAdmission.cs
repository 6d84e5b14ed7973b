using System.Text.Json.Nodes;

namespace CallImport.LocalControlPlane.Resources;

/// <summary>
/// Called on create/update of a custom resource (main resource writes; status writes use the status schema only).
/// The server turns causes into a 422 Invalid Status, and unknown fields under fieldValidation=Strict into a 400.
/// </summary>
public interface ICustomResourceAdmission
{
    // obj: the incoming object (mutable: prune/default in place); old: the stored object on update, else null;
    // crd: the CRD object; version: served version name; subresource: null or "status";
    // fieldValidation: "Ignore", "Warn" or "Strict".
    AdmissionResult Admit(JsonObject crd, string version, JsonObject obj, JsonObject? old, string? subresource, string fieldValidation);
}

/// <summary>One field error: Reason such as FieldValueRequired, Message without the field, Field such as spec.source.</summary>
public sealed record AdmissionCause(string Reason, string Message, string Field);

/// <summary>Causes (empty = admitted), warnings for the Warning header, and the unknown fields found (paths such as spec.foo).</summary>
public sealed record AdmissionResult(IReadOnlyList<AdmissionCause> Causes, IReadOnlyList<string> Warnings, IReadOnlyList<string> UnknownFields)
{
    public static AdmissionResult Admitted { get; } = new([], [], []);
}

/// <summary>Admits everything unchanged; used until schema validation is plugged in.</summary>
public sealed class AdmitAllCustomResources : ICustomResourceAdmission
{
    public AdmissionResult Admit(JsonObject crd, string version, JsonObject obj, JsonObject? old, string? subresource, string fieldValidation)
        => AdmissionResult.Admitted;
}
