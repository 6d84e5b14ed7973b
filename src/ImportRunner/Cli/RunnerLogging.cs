using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace CallImport.ImportRunner.Cli;

/// <summary>
/// Serilog to stderr (stdout carries only the summary): JSON in a cluster or with CALLIMPORT_LOG_FORMAT=json,
/// readable text on a terminal. With a live progress line on a terminal, only warnings and errors are logged.
/// </summary>
public static class RunnerLogging
{
    public const string FormatVariable = "CALLIMPORT_LOG_FORMAT";

    public static Serilog.Core.Logger Create(bool progressOnTerminal, bool verbose)
    {
        var json = Environment.GetEnvironmentVariable(FormatVariable) is "json"
                   || Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST") is not null;
        var level = verbose ? LogEventLevel.Debug : progressOnTerminal ? LogEventLevel.Warning : LogEventLevel.Information;
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .Enrich.FromLogContext()
            .Enrich.WithProperty("Component", "import-runner");
        return (json
                ? configuration.WriteTo.Console(new RenderedCompactJsonFormatter(), standardErrorFromLevel: LogEventLevel.Verbose)
                : configuration.WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose,
                    outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}"))
            .CreateLogger();
    }
}
