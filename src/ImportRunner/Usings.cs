// The exit codes are a contract shared with the operator, defined once in CallImport.ImportJobs.
global using ExitCodes = CallImport.ImportJobs.Runner.RunnerExitCodes;
