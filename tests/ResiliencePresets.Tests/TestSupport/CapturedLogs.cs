using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// Captures every log message, with its structured values and scopes, at every level.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<Entry> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    /// <summary>Everything logged, as text: messages, structured values, scopes and exceptions.</summary>
    public string AllText() => string.Join('\n', Entries.Select(e => e.AllText));

    public sealed record Entry(string Category, LogLevel Level, EventId EventId, string Message, IReadOnlyList<KeyValuePair<string, object?>> Values, string AllText);

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            // Copied now: a logger message's state may be reused once Log returns.
            IReadOnlyList<KeyValuePair<string, object?>> values = (state as IEnumerable<KeyValuePair<string, object?>>)?.ToList() ?? [];
            var text = new System.Text.StringBuilder(formatter(state, exception));
            foreach (var (key, value) in values)
            {
                text.Append(' ').Append(key).Append('=').Append(value);
            }

            owner._scopes.ForEachScope((scope, sb) => sb.Append(" scope=").Append(scope), text);
            text.Append(' ').Append(exception);
            owner.Entries.Enqueue(new Entry(category, logLevel, eventId, formatter(state, exception), values, text.ToString()));
        }
    }
}
