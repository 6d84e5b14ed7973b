namespace CallImport.ImportRunner.Tests.Conformance;

public sealed class FathomConformance(ImportDatabase database) : ImportContextConformance("fathom", database);
