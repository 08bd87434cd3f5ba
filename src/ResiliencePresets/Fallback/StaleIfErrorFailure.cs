namespace ResiliencePresets;

/// <summary>
/// A failure that a kept response answered: why (<c>status</c>, <c>exception</c>, <c>timeout</c>, <c>circuit_open</c>,
/// <c>paused</c>, <c>rate_limited</c>), its <c>error.type</c> (the status code or the exception's kind), and the status
/// code when the failure was a response.
/// </summary>
internal readonly record struct StaleIfErrorFailure(string Reason, string ErrorType, int? StatusCode);
