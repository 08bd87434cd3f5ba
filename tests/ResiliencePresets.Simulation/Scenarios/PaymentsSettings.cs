namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// The payments scenario: <see cref="Workers"/> workers share <see cref="Payments"/> payments, each POSTed once by the
/// caller, against <see cref="Server.PaymentsApi"/> limited to <see cref="Rate"/> requests a second, which loses the
/// answer of <see cref="LostAnswers"/> of its charges.
/// </summary>
public sealed record PaymentsSettings
{
    public int Workers { get; init; } = 20;

    public int Payments { get; init; } = 200;

    public int Rate { get; init; } = 20;

    public double LostAnswers { get; init; } = 0.05;

    /// <summary>Gets the least time the payments can take at the server's rate.</summary>
    public TimeSpan Floor => TimeSpan.FromSeconds((double)Payments / Rate);
}
