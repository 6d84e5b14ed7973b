namespace CallImport.ImportRunner.Tests.Conformance;

public sealed class ZoomConformance(ImportDatabase database) : ImportContextConformance("zoom", database);
