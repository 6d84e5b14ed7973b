namespace CallImport.ImportRunner.Tests.Conformance;

public sealed class FirefliesConformance(ImportDatabase database) : ImportContextConformance("fireflies", database);
