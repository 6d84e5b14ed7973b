namespace CallImport.ImportRunner.Tests.Conformance;

public sealed class HubSpotConformance(ImportDatabase database) : ImportContextConformance("hubspot", database);
