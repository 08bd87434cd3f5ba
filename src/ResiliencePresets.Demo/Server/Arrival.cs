namespace ResiliencePresets.Demo.Server;

/// <summary>
/// One attempt as the server met it.
/// </summary>
/// <param name="Attempt">1 for the first attempt of a logical request.</param>
/// <param name="Early">Whether it came before the time the previous attempt's response named.</param>
internal readonly record struct Arrival(int Attempt, bool Early);
