namespace CallImport.ImportRunner.Tests.Conformance;

public sealed class GrainConformance(ImportDatabase database) : ImportContextConformance("grain", database);
