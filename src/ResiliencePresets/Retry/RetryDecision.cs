namespace ResiliencePresets;

/// <summary>
/// The outcome of asking whether a failed attempt is retried, and if so after how long.
/// </summary>
/// <param name="ShouldRetry">Whether the attempt is retried.</param>
/// <param name="Cause">The status code or exception type that failed the attempt, as it is logged.</param>
/// <param name="StatusCode">The status code the status-code table was consulted with, for a response.</param>
/// <param name="Delay">The wait before the retry.</param>
/// <param name="Source">Where <paramref name="Delay"/> came from.</param>
/// <param name="SourceHeader">The header the server's wait was read from, for <see cref="RetryDelaySource.ServerHeader"/>.</param>
/// <param name="DeclinedBecause">Why a failure that is otherwise retryable is not retried; <see langword="null"/> when
/// it is retried or was never retryable.</param>
internal readonly record struct RetryDecision(
    bool ShouldRetry,
    string Cause,
    int? StatusCode,
    TimeSpan Delay,
    RetryDelaySource Source,
    string? SourceHeader,
    string? DeclinedBecause)
{
    /// <summary>Gets the server's wait that the client's pause holds this retry for, when the learned bucket holds it
    /// instead of a delay of its own (<see cref="Delay"/> is then zero): the wait logged and counted.</summary>
    public TimeSpan? HeldFor { get; init; }

    /// <summary>Gets a value indicating whether the retry is a rate signal's that the client's learned rate meters
    /// (<see cref="RateSignal.IsMeteredByLearner"/>): it waits for the learned bucket, is not charged to the retry budget,
    /// and does not count against <c>Retry:MaxRetryAttempts</c> (<see cref="RetryDecider.MaxMeteredRetries"/> bounds it).</summary>
    public bool MeteredByLearner { get; init; }

    /// <summary>Gets a value indicating whether a retry was refused only because the client's retry budget was spent.</summary>
    public bool OverBudget { get; init; }

    /// <summary>Gets why a retryable failure is not retried when the preset gave up on it (not for a method the preset
    /// never resends); a decision to retry the last attempt means <see cref="GiveUpReason.RetriesExhausted"/>.</summary>
    public GiveUpReason? GaveUp { get; init; }

    public static RetryDecision No(string cause, int? statusCode = null, string? declinedBecause = null)
        => new(false, cause, statusCode, TimeSpan.Zero, RetryDelaySource.Backoff, null, declinedBecause);
}
