namespace CallImport.LocalControlPlane.Validation;

/// <summary>Field paths as the API server prints them: <c>spec.dateRange.start</c>, <c>spec.items[0]</c>.</summary>
internal static class FieldPath
{
    public static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    public static string Index(string path, int index) => $"{path}[{index}]";
}
