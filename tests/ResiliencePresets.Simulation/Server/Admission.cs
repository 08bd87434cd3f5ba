namespace ResiliencePresets.Simulation.Server;

/// <summary>The server's verdict on one request, and what its rate-limit headers report.</summary>
/// <param name="Admitted">Whether a token was taken.</param>
/// <param name="Remaining">Whole tokens left after this request.</param>
/// <param name="UntilNextToken">How long until the next request would be admitted; zero when this one was.</param>
/// <param name="UntilFull">How long until the bucket is full again: the quota's reset.</param>
public readonly record struct Admission(bool Admitted, long Remaining, TimeSpan UntilNextToken, TimeSpan UntilFull);
