using CallImport.LocalControlPlane.Resources;
using CallImport.LocalControlPlane.Validation;

namespace CallImport.LocalControlPlane;

public sealed partial class LocalControlPlane
{
    // Custom resources are validated against their CRD's schema unless the caller supplies its own admission.
    static partial void DefaultAdmission(ref ICustomResourceAdmission? admission) => admission ??= new SchemaAdmission();
}
