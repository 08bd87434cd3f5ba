namespace ResiliencePresets.Simulation.Scenarios;

/// <summary>
/// A rate-limited server a scenario runs every setup against; each setup gets a slot with a limit of its own.
/// </summary>
/// <param name="Name">The row's name in the results.</param>
/// <param name="Family">The table the row goes in: who wrote the limiting logic.</param>
/// <param name="Rate">The limit at the start, in requests a second: what the "exact rate" setup is configured with.</param>
/// <param name="Start">Starts (or hands out) the limit for setup N.</param>
/// <param name="Change">A change of the limit during the run, if any.</param>
public sealed record LimiterServer(string Name, string Family, int Rate, Func<int, Task<LimiterSlot>> Start, RateChange? Change = null);

/// <summary>One setup's limit: where to send requests, how to stop it, and how to change its rate.</summary>
/// <param name="BaseAddress">The address requests are relative to, ending in a slash.</param>
/// <param name="StopAsync">Stops what was started for this slot alone (nothing, when the process is shared).</param>
/// <param name="ChangeRate">Sets a new rate in requests a second; <see langword="null"/> when the limit is fixed.</param>
public sealed record LimiterSlot(Uri BaseAddress, Func<ValueTask> StopAsync, Action<int>? ChangeRate = null);

/// <summary>The server's limit becomes <paramref name="NewRate"/> requests a second <paramref name="At"/> after the start.</summary>
public sealed record RateChange(TimeSpan At, int NewRate);
