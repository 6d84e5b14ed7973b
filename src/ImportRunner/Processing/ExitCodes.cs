namespace CallImport.ImportRunner.Processing;

/// <summary>The runner's exit codes: a contract with the operator and with scripts (documented in the README).</summary>
public static class ExitCodes
{
    /// <summary>Every call imported (or already imported).</summary>
    public const int Success = 0;
    /// <summary>Invalid command line, the platform not answering even after retries, or an unexpected error (see the log).</summary>
    public const int Error = 1;
    /// <summary>The import finished, but some calls failed (each recorded with its reason).</summary>
    public const int CallsFailed = 2;
    /// <summary>The import could not start: credentials refused, database or storage unreachable, bad settings.</summary>
    public const int CouldNotStart = 3;
    /// <summary>Stopped before the end with work left: the window closed, the daily quota is spent, or it was asked to stop.</summary>
    public const int StoppedEarly = 4;
}
