// The runner's exit codes and flags are a contract shared with the ImportRunner, defined once in CallImport.ImportJobs.
global using CallImport.ImportJobs.Runner;
