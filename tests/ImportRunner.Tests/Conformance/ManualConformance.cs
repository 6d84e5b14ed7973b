namespace CallImport.ImportRunner.Tests.Conformance;

public sealed class ManualConformance(ImportDatabase database) : ImportContextConformance("manual", database);
