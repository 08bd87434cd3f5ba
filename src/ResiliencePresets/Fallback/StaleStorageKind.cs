namespace ResiliencePresets;

/// <summary>What happens to the response kept for a request when a new final response arrives.</summary>
internal enum StaleStorageKind
{
    /// <summary>The new response replaces it.</summary>
    Keep,

    /// <summary>It is dropped: the server answered, but not with something to keep.</summary>
    Forget,

    /// <summary>It stays: the server failed or refused.</summary>
    Leave,
}
