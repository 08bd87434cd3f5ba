namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// What one setup did to the payments API: each payment's charges as the API counted them (a duplicate charge is a
/// payment charged more than once), what the callers saw, and the calls it took.
/// </summary>
/// <param name="Server">The limiter's variant.</param>
/// <param name="Setup">The client setup.</param>
/// <param name="Payments">The payments the callers made, one POST each.</param>
/// <param name="ChargedOnce">Payments charged exactly once.</param>
/// <param name="ChargedMoreThanOnce">Payments charged twice or more: must be 0.</param>
/// <param name="ExtraCharges">Charges beyond the first of each payment.</param>
/// <param name="FailedToCallers">Payments whose caller got no 201 (an error status or an exception).</param>
/// <param name="FailedButCharged">Of those, payments the API charged: the caller cannot tell them from the rest.</param>
/// <param name="Calls">Requests that reached the API.</param>
/// <param name="Refused">Of those, refused by the limiter (429).</param>
/// <param name="Conflicts">Of those, a key repeated with another body (422): must be 0.</param>
/// <param name="LostAnswers">Charges whose answer the API dropped.</param>
/// <param name="Completion">From the first payment to the last answer.</param>
public sealed record PaymentsResult(
    string Server,
    string Setup,
    int Payments,
    int ChargedOnce,
    int ChargedMoreThanOnce,
    int ExtraCharges,
    int FailedToCallers,
    int FailedButCharged,
    int Calls,
    int Refused,
    int Conflicts,
    int LostAnswers,
    TimeSpan Completion);
