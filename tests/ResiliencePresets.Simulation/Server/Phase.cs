namespace ResiliencePresets.Simulation.Server;

/// <summary>The stages of the amplification scenario; requests are counted by the stage they arrive in.</summary>
public enum Phase
{
    /// <summary>C is healthy and the clients build a history (a budget window's worth).</summary>
    WarmUp,

    /// <summary>C answers every request 503 without Retry-After.</summary>
    Failing,

    /// <summary>C is healthy again.</summary>
    Recovery,

    /// <summary>No new load; requests still in flight finish.</summary>
    Drain,
}
