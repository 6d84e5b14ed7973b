global using ExitCodes = CallImport.ImportJobs.Runner.RunnerExitCodes;

namespace CallImport.ImportRunner.Tests;
