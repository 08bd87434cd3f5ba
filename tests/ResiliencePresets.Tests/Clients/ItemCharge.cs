namespace ResiliencePresets.Tests.Clients;

/// <summary>A request body the Refit recipe serializes with a source-generated JSON context.</summary>
public sealed record ItemCharge(int Amount, string Currency);
