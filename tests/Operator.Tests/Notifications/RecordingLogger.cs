using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CallImport.Operator.Tests.Notifications;

/// <summary>Keeps every formatted log line and its properties, to assert what was (and was not) logged.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> Properties)> _entries = new();

    public IReadOnlyList<(LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> Properties)> Entries => [.. _entries];

    public string AllText => string.Join('\n', _entries.Select(e => e.Message + " " + string.Join(' ', e.Properties.Select(p => $"{p.Key}={p.Value}"))));

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception),
            state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
}
