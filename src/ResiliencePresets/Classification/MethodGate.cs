namespace ResiliencePresets;

/// <summary>
/// Decides whether a request may be sent again, from its method and its idempotency key alone.
/// </summary>
internal sealed class MethodGate
{
    private readonly Dictionary<string, MethodRetryRule> _rules;
    private readonly string _idempotencyHeader;
    private readonly MethodRetryRule _get;
    private readonly MethodRetryRule _post;

    public MethodGate(IEnumerable<KeyValuePair<string, MethodRetryRule>> rules, string idempotencyHeader)
    {
        _rules = new Dictionary<string, MethodRetryRule>(rules, StringComparer.OrdinalIgnoreCase);
        _idempotencyHeader = idempotencyHeader;
        _get = Lookup(HttpMethod.Get);
        _post = Lookup(HttpMethod.Post);
    }

    // The runtime's own GET and POST (what HttpClient's GetAsync and PostAsync send) are answered without a lookup.
    public MethodRetryRule RuleFor(HttpMethod method)
        => ReferenceEquals(method, HttpMethod.Get) ? _get : ReferenceEquals(method, HttpMethod.Post) ? _post : Lookup(method);

    private MethodRetryRule Lookup(HttpMethod method) => _rules.TryGetValue(method.Method, out var rule) ? rule : MethodRetryRule.Never;

    /// <summary>
    /// Returns whether the request may ever be retried, whatever the failure.
    /// </summary>
    public bool MayRetry(HttpRequestMessage request) => RuleFor(request.Method) != MethodRetryRule.Never;

    /// <summary>
    /// Returns whether the request may be retried after a failure. A request has a key when <see cref="IdempotencyKey"/>
    /// finds exactly one value that is not blank.
    /// </summary>
    /// <param name="request">The request.</param>
    /// <param name="mayHaveReachedServer"><see langword="false"/> only when the failure proves the server never saw the request.</param>
    public bool MayRetry(HttpRequestMessage request, bool mayHaveReachedServer) => RuleFor(request.Method) switch
    {
        MethodRetryRule.Retry => true,
        MethodRetryRule.WithIdempotencyKey => !mayHaveReachedServer || IdempotencyKey.TryRead(request, _idempotencyHeader, out _),
        _ => false,
    };
}
