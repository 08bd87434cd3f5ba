namespace ResiliencePresets.Tests.Configuration;

public sealed class ResiliencePresetOptionsValidatorTests
{
    [Theory]
    [InlineData(ResiliencePresetNames.ReadOnlyApi)]
    [InlineData(ResiliencePresetNames.IdempotentWrite)]
    [InlineData(ResiliencePresetNames.PaymentWithIdempotencyKey)]
    public void Validate_BuiltInPreset_HasNoProblem(string preset)
    {
        Assert.Empty(ResiliencePresetOptionsValidator.Validate(BuiltInPresets.Create(preset)));
    }

    [Theory]
    [InlineData("MaxRetryAttempts", "-1", "Retry:MaxRetryAttempts is -1; it must be between 0 and 10.")]
    [InlineData("MaxRetryAttempts", "11", "Retry:MaxRetryAttempts is 11; it must be between 0 and 10.")]
    [InlineData("MaxDelay", "01:00:01", "Retry:MaxDelay is 01:00:01; it must be between 00:00:00 and 01:00:00.")]
    [InlineData("BaseDelay", "-00:00:00.1", "Retry:BaseDelay is -00:00:00.1000000; it must be between 00:00:00 and 01:00:00.")]
    [InlineData("BaseDelay", "00:00:31", "Retry:BaseDelay is 00:00:31; it must be at most Retry:MaxDelay (00:00:30).")]
    [InlineData("MaxRetryAfter", "1.00:00:01", "Retry:MaxRetryAfter is 1.00:00:01; it must be between 00:00:00 and 1.00:00:00.")]
    [InlineData("MaxRetryAfter", "-00:00:01", "Retry:MaxRetryAfter is -00:00:01; it must be between 00:00:00 and 1.00:00:00.")]
    [InlineData("AttemptTimeout", "00:00:00.009", "AttemptTimeout is 00:00:00.0090000; it must be between 00:00:00.0100000 and 1.00:00:00.")]
    [InlineData("AttemptTimeout", "1.00:00:00.001", "AttemptTimeout is 1.00:00:00.0010000; it must be between 00:00:00.0100000 and 1.00:00:00.")]
    [InlineData("TotalTimeout", "00:00:00", "TotalTimeout is 00:00:00; it must be between 00:00:00.0100000 and 1.00:00:00.")]
    [InlineData("TotalTimeout", "00:00:09", "TotalTimeout is 00:00:09; it must be at least AttemptTimeout (00:00:10).")]
    [InlineData("FailureRatio", "0", "CircuitBreaker:FailureRatio is 0; it must be more than 0 and at most 1.")]
    [InlineData("FailureRatio", "-0.5", "CircuitBreaker:FailureRatio is -0.5; it must be more than 0 and at most 1.")]
    [InlineData("FailureRatio", "1.01", "CircuitBreaker:FailureRatio is 1.01; it must be more than 0 and at most 1.")]
    [InlineData("FailureRatio", "NaN", "CircuitBreaker:FailureRatio is NaN; it must be more than 0 and at most 1.")]
    [InlineData("MinimumThroughput", "1", "CircuitBreaker:MinimumThroughput is 1; it must be at least 2.")]
    [InlineData("SamplingDuration", "00:00:00.499", "CircuitBreaker:SamplingDuration is 00:00:00.4990000; it must be between 00:00:00.5000000 and 1.00:00:00.")]
    [InlineData("BreakDuration", "2.00:00:00", "CircuitBreaker:BreakDuration is 2.00:00:00; it must be between 00:00:00.5000000 and 1.00:00:00.")]
    [InlineData("HeaderName", "Idempotency Key", "Idempotency:HeaderName is 'Idempotency Key'; it must be an HTTP header name, such as Idempotency-Key.")]
    [InlineData("HeaderName", "", "Idempotency:HeaderName is ''; it must be an HTTP header name, such as Idempotency-Key.")]
    [InlineData("HeaderName", "Idempotency-Key:", "Idempotency:HeaderName is 'Idempotency-Key:'; it must be an HTTP header name, such as Idempotency-Key.")]
    [InlineData("MaxRetryRatio", "-0.1", "RetryBudget:MaxRetryRatio is -0.1; it must be between 0 and 10.")]
    [InlineData("MinRetries", "-1", "RetryBudget:MinRetries is -1; it must be between 0 and 100000.")]
    [InlineData("Window", "00:00:00.5", "RetryBudget:Window is 00:00:00.5000000; it must be between 00:00:01 and 01:00:00.")]
    [InlineData("PermitsPerSecond", "-1", "RateLimit:PermitsPerSecond is -1; it must be 0 (off) or between 0.001 and 100000.")]
    [InlineData("PermitsPerMinute", "6000001", "RateLimit:PermitsPerMinute is 6000001; it must be 0 (off) or between 0.06 and 6000000.")]
    [InlineData("PermitsPerSecond", "0.0000001", "RateLimit:PermitsPerSecond is 1E-07; it must be 0 (off) or between 0.001 and 100000.")]
    [InlineData("PermitsPerMinute", "0.05", "RateLimit:PermitsPerMinute is 0.05; it must be 0 (off) or between 0.06 and 6000000.")]
    [InlineData("Burst", "-1", "RateLimit:Burst is -1; it must be between 0 and 100000.")]
    [InlineData("QueueLimit", "100001", "RateLimit:QueueLimit is 100001; it must be between 0 and 100000.")]
    [InlineData("SharedKey", " ", "Shared:Key is ' '; it must be unset (the client's name), or 1 to 256 characters, not all white space.")]
    [InlineData("SharedKey", "", "Shared:Key is ''; it must be unset (the client's name), or 1 to 256 characters, not all white space.")]
    [InlineData("SharedTimeout", "00:00:00", "Shared:Timeout is 00:00:00; it must be between 00:00:00.0010000 and 00:00:05.")]
    [InlineData("SharedTimeout", "00:00:05.001", "Shared:Timeout is 00:00:05.0010000; it must be between 00:00:00.0010000 and 00:00:05.")]
    [InlineData("SharedKeyPrefix", "", "Shared:KeyPrefix is ''; it must be 1 to 64 characters, each a letter, a digit, or one of - _ . :.")]
    [InlineData("SharedKeyPrefix", "prod {eu}", "Shared:KeyPrefix is 'prod {eu}'; it must be 1 to 64 characters, each a letter, a digit, or one of - _ . :.")]
    public void Validate_BadValue_NamesTheSettingTheValueAndWhatIsValid(string setting, string value, string expected)
    {
        var options = new ResiliencePresetOptions();
        Set(options, setting, value);

        var problem = Assert.Single(ResiliencePresetOptionsValidator.Validate(options));

        Assert.Equal(expected, $"{problem.Key} is {problem.Value}; it must be {problem.Requirement}.");
        Assert.Equal($"ResiliencePresets:Clients:github:{expected}", problem.Describe($"ResiliencePresets:Clients:github:{problem.Key}"));
    }

    [Theory]
    [InlineData("MaxRetryAttempts", "0")]
    [InlineData("MaxRetryAttempts", "10")]
    [InlineData("BaseDelay", "00:00:00")]
    [InlineData("BaseDelay", "00:00:30")]
    [InlineData("MaxRetryAfter", "00:00:00")]
    [InlineData("MaxRetryAfter", "1.00:00:00")]
    [InlineData("AttemptTimeout", "00:00:00.01")]
    [InlineData("TotalTimeout", "00:00:10")]
    [InlineData("TotalTimeout", "1.00:00:00")]
    [InlineData("FailureRatio", "1")]
    [InlineData("FailureRatio", "0.001")]
    [InlineData("MinimumThroughput", "2")]
    [InlineData("SamplingDuration", "00:00:00.5")]
    [InlineData("BreakDuration", "1.00:00:00")]
    [InlineData("HeaderName", "X-Idempotency_Key.v2")]
    [InlineData("SharedKey", "openai org 42 / prod: ünïcode {any text}")]
    [InlineData("SharedTimeout", "00:00:00.001")]
    [InlineData("SharedKeyPrefix", "prod-eu.west_1:rp")]
    public void Validate_ValueOnTheEdgeOfItsRange_IsAccepted(string setting, string value)
    {
        var options = new ResiliencePresetOptions();
        Set(options, setting, value);

        Assert.Empty(ResiliencePresetOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_MaxDelayAtOneHourWithBaseDelayAtOneHour_IsAccepted()
    {
        var options = new ResiliencePresetOptions();
        options.Retry.MaxDelay = TimeSpan.FromHours(1);
        options.Retry.BaseDelay = TimeSpan.FromHours(1);

        Assert.Empty(ResiliencePresetOptionsValidator.Validate(options));
    }

    [Fact]
    public void Validate_BaseDelayAboveAnOutOfRangeMaxDelay_ReportsOnlyTheRange()
    {
        var options = new ResiliencePresetOptions();
        options.Retry.MaxDelay = TimeSpan.FromSeconds(-1);

        var problem = Assert.Single(ResiliencePresetOptionsValidator.Validate(options));

        // Not also "Retry:BaseDelay is 00:00:01; it must be at most Retry:MaxDelay (-00:00:01)", which blames a valid value.
        Assert.Equal("Retry:MaxDelay is -00:00:01; it must be between 00:00:00 and 01:00:00.", problem.Describe(problem.Key));
    }

    [Fact]
    public void Validate_TotalTimeoutBelowAnOutOfRangeAttemptTimeout_ReportsOnlyTheRange()
    {
        var options = new ResiliencePresetOptions { AttemptTimeout = TimeSpan.FromDays(2) };

        var problem = Assert.Single(ResiliencePresetOptionsValidator.Validate(options));

        Assert.Equal("AttemptTimeout", problem.Key);
    }

    [Theory]
    [InlineData(99)]
    [InlineData(600)]
    [InlineData(0)]
    public void Validate_StatusCodeOutOfRangeSetInCode_IsReported(int code)
    {
        var options = new ResiliencePresetOptions();
        options.StatusCodes[code] = StatusCodeRule.RetryAtMost(2);

        var problem = Assert.Single(ResiliencePresetOptionsValidator.Validate(options));

        Assert.Equal($"StatusCodes:{code} is Retry(2); it must be under a status code from 100 to 599.", problem.Describe(problem.Key));
    }

    [Theory]
    [InlineData("GE T")]
    [InlineData("")]
    [InlineData("123")]
    [InlineData("GET\n")]
    public void Validate_MethodNameThatIsNotAnHttpTokenSetInCode_IsReported(string method)
    {
        var options = new ResiliencePresetOptions();
        options.Methods[method] = MethodRetryRule.Retry;

        var problem = Assert.Single(ResiliencePresetOptionsValidator.Validate(options));

        Assert.Equal($"Methods:{method} is Retry; it must be under an HTTP method name such as GET or POST.", problem.Describe(problem.Key));
    }

    [Fact]
    public void Validate_SeveralBadValues_ReportsEveryOneInOrder()
    {
        var options = new ResiliencePresetOptions { AttemptTimeout = TimeSpan.Zero };
        options.Retry.MaxRetryAttempts = 50;
        options.CircuitBreaker.MinimumThroughput = 0;
        options.Idempotency.HeaderName = "bad key";

        var keys = ResiliencePresetOptionsValidator.Validate(options).Select(p => p.Key);

        Assert.Equal(["Retry:MaxRetryAttempts", "AttemptTimeout", "CircuitBreaker:MinimumThroughput", "Idempotency:HeaderName"], keys);
    }

    [Fact]
    public void Validate_TwoRatesAtOnce_AsksForOne()
    {
        var options = new ResiliencePresetOptions();
        options.RateLimit.PermitsPerSecond = 10;
        options.RateLimit.PermitsPerMinute = 600;

        var problem = Assert.Single(ResiliencePresetOptionsValidator.Validate(options));

        Assert.Equal(
            "ResiliencePresets:Clients:github:RateLimit:PermitsPerMinute is 600; it must be 0 when RateLimit:PermitsPerSecond is set (10); set one rate.",
            problem.Describe($"ResiliencePresets:Clients:github:{problem.Key}"));
    }

    [Fact]
    public void Validate_SharedKeyOf257Characters_IsRejected()
    {
        var options = new ResiliencePresetOptions();
        options.Shared.Key = new string('k', 257);

        Assert.Equal("Shared:Key", Assert.Single(ResiliencePresetOptionsValidator.Validate(options)).Key);
    }

    private static void Set(ResiliencePresetOptions options, string setting, string value)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        TimeSpan Span() => TimeSpan.Parse(value, invariant);
        switch (setting)
        {
            case "MaxRetryAttempts": options.Retry.MaxRetryAttempts = int.Parse(value, invariant); break;
            case "BaseDelay": options.Retry.BaseDelay = Span(); break;
            case "MaxDelay": options.Retry.MaxDelay = Span(); break;
            case "MaxRetryAfter": options.Retry.MaxRetryAfter = Span(); break;
            case "AttemptTimeout": options.AttemptTimeout = Span(); break;
            case "TotalTimeout": options.TotalTimeout = Span(); break;
            case "FailureRatio": options.CircuitBreaker.FailureRatio = double.Parse(value, invariant); break;
            case "MinimumThroughput": options.CircuitBreaker.MinimumThroughput = int.Parse(value, invariant); break;
            case "SamplingDuration": options.CircuitBreaker.SamplingDuration = Span(); break;
            case "BreakDuration": options.CircuitBreaker.BreakDuration = Span(); break;
            case "HeaderName": options.Idempotency.HeaderName = value; break;
            case "MaxRetryRatio": options.RetryBudget.MaxRetryRatio = double.Parse(value, invariant); break;
            case "MinRetries": options.RetryBudget.MinRetries = int.Parse(value, invariant); break;
            case "Window": options.RetryBudget.Window = Span(); break;
            case "PermitsPerSecond": options.RateLimit.PermitsPerSecond = double.Parse(value, invariant); break;
            case "PermitsPerMinute": options.RateLimit.PermitsPerMinute = double.Parse(value, invariant); break;
            case "Burst": options.RateLimit.Burst = int.Parse(value, invariant); break;
            case "QueueLimit": options.RateLimit.QueueLimit = int.Parse(value, invariant); break;
            case "SharedKey": options.Shared.Key = value; break;
            case "SharedTimeout": options.Shared.Timeout = Span(); break;
            case "SharedKeyPrefix": options.Shared.KeyPrefix = value; break;
            default: throw new ArgumentOutOfRangeException(nameof(setting), setting, "No such setting in this test.");
        }
    }
}
