namespace ResiliencePresets.Demo.Server;

/// <summary>
/// What a draw of the <see cref="FaultPlan"/> decides, so that two decisions about one attempt are independent.
/// </summary>
internal enum FaultPurpose
{
    /// <summary>How many times the inventory service fails a request before it answers.</summary>
    InventoryFailures = 1,

    /// <summary>Whether a rate-limited repository read is answered 403 or 429.</summary>
    RepositoryStatus = 2,

    /// <summary>What the payment provider does with a charge attempt.</summary>
    ChargeOutcome = 3,
}
