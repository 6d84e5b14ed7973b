using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CallImport.ImportRunner.Tests.Conformance;

/// <summary>
/// Every log line of one conformance import (messages and exceptions), to show when a case fails and to check
/// that no credential value reaches a log.
/// </summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => [.. _lines];

    /// <summary>The last lines, for an assertion's message.</summary>
    public string Tail(int lines = 40) => string.Join('\n', _lines.TakeLast(lines));

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            log._lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " | " + exception)}");
    }
}
