namespace ResiliencePresets;

/// <summary>
/// What one limit of a server holds a client to: the pause a server's wait set and the pacing its remaining quota
/// set. A client has one per authority (host and port) it calls, and one per limit a server named
/// (<see cref="RateScopes"/>).
/// </summary>
/// <param name="Authority">The authority (<c>host:port</c>, the port left out when it is the scheme's default) the
/// limit belongs to; empty for the scope shared by what the client cannot tell apart.</param>
/// <param name="Name">The limit's name as the server sent it (<c>search</c>, <c>graphql</c>), or <see langword="null"/>
/// for the authority's own scope.</param>
internal sealed class RateScope(string Authority, string? Name)
{
    /// <summary>Gets the authority the scope belongs to.</summary>
    public string Authority { get; } = Authority;

    /// <summary>Gets the limit's name, or <see langword="null"/> for the authority's own scope.</summary>
    public string? Name { get; } = Name;

    public ClientPause Pause { get; } = new();

    public QuotaPacer Pacer { get; } = new();

    /// <summary>Gets a value indicating whether the scope holds anything: a pause was set or a quota paces it.</summary>
    public bool IsActive => Pause.IsSet || Pacer.IsPacing;
}
