global using CallImport.ImportJobs.Runner;

namespace CallImport.Operator.Tests;
