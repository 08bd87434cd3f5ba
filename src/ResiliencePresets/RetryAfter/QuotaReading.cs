namespace ResiliencePresets;

/// <summary>
/// One quota a response reports: how much of it is left, when it resets, and which header named the reset.
/// </summary>
/// <param name="Remaining">What the server still allows until the reset: requests, or tokens when
/// <paramref name="CountsTokens"/>; never negative.</param>
/// <param name="ResetIn">When the quota resets, from the moment the headers were read; always positive.</param>
/// <param name="Header">The header the reset was read from, such as <c>x-ratelimit-reset-requests</c>.</param>
/// <param name="CountsTokens">Whether the quota counts tokens (OpenAI's and Anthropic's token limits), not requests.</param>
/// <param name="Policy">The name the server gave the quota's policy, such as the IETF <c>RateLimit</c> field's
/// <c>"default"</c>, when it gave one; not yet checked as a scope name.</param>
internal readonly record struct QuotaReading(long Remaining, TimeSpan ResetIn, string Header, bool CountsTokens = false, string? Policy = null)
{
    /// <summary>Gets a value indicating whether nothing is left until the reset.</summary>
    public bool IsSpent => Remaining == 0;
}
