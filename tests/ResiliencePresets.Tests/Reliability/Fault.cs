namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// What goes wrong with one request to the payment API.
/// </summary>
public enum Fault
{
    /// <summary>Nothing: the request is processed and answered.</summary>
    None,

    /// <summary>The charge is processed, then the answer is replaced by a 500.</summary>
    ProcessThen500,

    /// <summary>The charge is processed, then the connection is dropped before any response byte.</summary>
    ProcessThenDrop,

    /// <summary>The charge is processed, and the key stays in flight past the client's attempt timeout before the answer.</summary>
    ProcessThenStall,

    /// <summary>A 503 with <c>Retry-After</c> of 0 or 1 second, without processing.</summary>
    Unavailable,

    /// <summary>The connection is dropped before the request is read or processed.</summary>
    RefuseBeforeProcessing,
}
