namespace CallImport.ImportRunner.Tests.Conformance;

public sealed class DialpadConformance(ImportDatabase database) : ImportContextConformance("dialpad", database);
