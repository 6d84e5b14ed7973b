namespace CallImport.ImportRunner.Tests.Conformance;

public sealed class RingCentralConformance(ImportDatabase database) : ImportContextConformance("ringcentral", database);
