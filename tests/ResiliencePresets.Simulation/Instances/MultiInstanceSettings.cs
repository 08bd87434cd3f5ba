namespace ResiliencePresets.Simulation.Instances;

/// <summary>
/// How hard the multi-instance scenario pushes: processes of one service, each with closed-loop workers sharing its one
/// client, splitting the requests evenly, against one limit for all of them; and when Redis is killed and started
/// again in the run that loses it.
/// </summary>
public sealed record MultiInstanceSettings
{
    public int Processes { get; init; } = 4;

    public int WorkersPerProcess { get; init; } = 25;

    public int Requests { get; init; } = 2000;

    /// <summary>Gets the server's one limit, in requests a second.</summary>
    public int Rate { get; init; } = 100;

    /// <summary>Gets when Redis is killed, from the start of the requests.</summary>
    public TimeSpan RedisKilledAt { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Gets how long Redis stays down before it is started again, empty, on the same port.</summary>
    public TimeSpan RedisDownFor { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Gets a value indicating whether each instance samples its learned rate for the console (<c>--trace</c>).</summary>
    public bool Trace { get; init; }

    /// <summary>Gets the shortest possible completion: the requests at the server's rate.</summary>
    public TimeSpan Floor => TimeSpan.FromSeconds((double)Requests / Rate);

    /// <summary>Gets each process's share of the requests (the first ones take what does not divide).</summary>
    public int RequestsOf(int process) => (Requests / Processes) + (process < Requests % Processes ? 1 : 0);
}
