namespace ResiliencePresets;

/// <summary>
/// The terms a kept response was stored on: its freshness lifetime (<c>max-age</c>, or <c>Expires</c> minus
/// <c>Date</c>), the server's <c>stale-if-error</c> grant, the age it already had when it arrived (its <c>Age</c>
/// header), and the request headers it varies on (lower case, sorted).
/// </summary>
internal sealed record StaleTerms(TimeSpan Lifetime, TimeSpan? ServerGrant, TimeSpan InitialAge, string[] VaryNames);
