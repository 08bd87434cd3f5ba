using System.Globalization;

namespace ResiliencePresets;

/// <summary>
/// The ranges and cross-field rules every preset must satisfy. The ranges are also Polly's, so a preset that passes here
/// always builds.
/// </summary>
internal static class ResiliencePresetOptionsValidator
{
    public const int MaxRetryAttemptsLimit = 10;

    // A slower rate would need a refill timer longer than a .NET timer can be set (about 49 days); one permit every
    // 1,000 seconds is far below any API's limit.
    private const double MinPermitsPerSecond = 0.001;
    private const double MaxPermitsPerSecond = 100_000;

    private static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MinBreakerTime = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan OneHour = TimeSpan.FromHours(1);
    private static readonly TimeSpan OneDay = TimeSpan.FromDays(1);

    public static List<OptionsProblem> Validate(ResiliencePresetOptions options)
    {
        var problems = new List<OptionsProblem>();
        var retry = options.Retry;
        if (retry.MaxRetryAttempts is < 0 or > MaxRetryAttemptsLimit)
        {
            problems.Add(new("Retry:MaxRetryAttempts", Text(retry.MaxRetryAttempts), $"between 0 and {MaxRetryAttemptsLimit}"));
        }

        var maxDelayOk = CheckRange(problems, "Retry:MaxDelay", retry.MaxDelay, TimeSpan.Zero, OneHour);
        if (CheckRange(problems, "Retry:BaseDelay", retry.BaseDelay, TimeSpan.Zero, OneHour) && maxDelayOk && retry.BaseDelay > retry.MaxDelay)
        {
            problems.Add(new("Retry:BaseDelay", Text(retry.BaseDelay), $"at most Retry:MaxDelay ({Text(retry.MaxDelay)})",
                new("Retry:MaxDelay", Text(retry.MaxDelay), $"at least Retry:BaseDelay ({Text(retry.BaseDelay)})")));
        }

        CheckRange(problems, "Retry:MaxRetryAfter", retry.MaxRetryAfter, TimeSpan.Zero, OneDay);
        var attemptOk = CheckRange(problems, "AttemptTimeout", options.AttemptTimeout, MinTimeout, OneDay);
        if (CheckRange(problems, "TotalTimeout", options.TotalTimeout, MinTimeout, OneDay) && attemptOk && options.TotalTimeout < options.AttemptTimeout)
        {
            problems.Add(new("TotalTimeout", Text(options.TotalTimeout), $"at least AttemptTimeout ({Text(options.AttemptTimeout)})",
                new("AttemptTimeout", Text(options.AttemptTimeout), $"at most TotalTimeout ({Text(options.TotalTimeout)})")));
        }

        var breaker = options.CircuitBreaker;
        if (!(breaker.FailureRatio > 0 && breaker.FailureRatio <= 1))
        {
            problems.Add(new("CircuitBreaker:FailureRatio", Text(breaker.FailureRatio), "more than 0 and at most 1"));
        }

        if (breaker.MinimumThroughput < 2)
        {
            problems.Add(new("CircuitBreaker:MinimumThroughput", Text(breaker.MinimumThroughput), "at least 2"));
        }

        CheckRange(problems, "CircuitBreaker:SamplingDuration", breaker.SamplingDuration, MinBreakerTime, OneDay);
        CheckRange(problems, "CircuitBreaker:BreakDuration", breaker.BreakDuration, MinBreakerTime, OneDay);

        var budget = options.RetryBudget;
        CheckRange(problems, "RetryBudget:MaxRetryRatio", budget.MaxRetryRatio, 0, 10);
        CheckRange(problems, "RetryBudget:MinRetries", budget.MinRetries, 0, 100_000);
        CheckRange(problems, "RetryBudget:Window", budget.Window, TimeSpan.FromSeconds(1), OneHour);

        var rate = options.RateLimit;
        var perSecondOk = CheckRate(problems, "RateLimit:PermitsPerSecond", rate.PermitsPerSecond, MinPermitsPerSecond, MaxPermitsPerSecond);
        if (CheckRate(problems, "RateLimit:PermitsPerMinute", rate.PermitsPerMinute, MinPermitsPerSecond * 60, MaxPermitsPerSecond * 60) && perSecondOk &&
            rate.PermitsPerSecond > 0 && rate.PermitsPerMinute > 0)
        {
            problems.Add(new("RateLimit:PermitsPerMinute", Text(rate.PermitsPerMinute), $"0 when RateLimit:PermitsPerSecond is set ({Text(rate.PermitsPerSecond)}); set one rate"));
        }

        CheckRange(problems, "RateLimit:Burst", rate.Burst, 0, 100_000);
        CheckRange(problems, "RateLimit:QueueLimit", rate.QueueLimit, 0, 100_000);

        if (!HttpToken.IsValid(options.Idempotency.HeaderName))
        {
            problems.Add(new("Idempotency:HeaderName", $"'{options.Idempotency.HeaderName}'", "an HTTP header name, such as Idempotency-Key"));
        }

        foreach (var code in options.StatusCodes.Keys.Where(code => code is < 100 or > 599))
        {
            problems.Add(new($"StatusCodes:{Text(code)}", options.StatusCodes[code].ToString(), "under a status code from 100 to 599"));
        }

        foreach (var method in options.Methods.Keys.Where(method => !HttpToken.IsMethod(method)))
        {
            problems.Add(new($"Methods:{method}", options.Methods[method].ToString(), "under an HTTP method name such as GET or POST"));
        }

        return problems;
    }

    internal static string Text(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static bool CheckRange(List<OptionsProblem> problems, string key, double value, double min, double max)
    {
        if (value >= min && value <= max)
        {
            return true;
        }

        problems.Add(new(key, Text(value), $"between {Text(min)} and {Text(max)}"));
        return false;
    }

    // 0 turns the rate off; any other value must be one the token bucket can run at.
    private static bool CheckRate(List<OptionsProblem> problems, string key, double value, double min, double max)
    {
        if (value == 0 || (value >= min && value <= max))
        {
            return true;
        }

        problems.Add(new(key, Text(value), $"0 (off) or between {Text(min)} and {Text(max)}"));
        return false;
    }

    private static bool CheckRange(List<OptionsProblem> problems, string key, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value >= min && value <= max)
        {
            return true;
        }

        problems.Add(new(key, Text(value), $"between {Text(min)} and {Text(max)}"));
        return false;
    }
}
