namespace ResiliencePresets;

/// <summary>
/// What <see cref="StaleStorageRule"/> decided about a final response: keep it (on <see cref="Terms"/>), forget what was
/// kept for its request, or leave that as it is.
/// </summary>
internal readonly record struct StaleStorage(StaleStorageKind Kind, StaleTerms? Terms = null)
{
    public static StaleStorage Forget { get; } = new(StaleStorageKind.Forget);

    public static StaleStorage Leave { get; } = new(StaleStorageKind.Leave);
}
