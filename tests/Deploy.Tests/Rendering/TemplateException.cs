namespace CallImport.Deploy.Tests.Rendering;

/// <summary>A template that Helm would refuse to render (parse error, missing value, failed <c>required</c>).</summary>
public sealed class TemplateException(string message) : Exception(message);
