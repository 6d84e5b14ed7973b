namespace CallImport.ImportRunner.Tests.Conformance;

public sealed class GongConformance(ImportDatabase database) : ImportContextConformance("gong", database);
