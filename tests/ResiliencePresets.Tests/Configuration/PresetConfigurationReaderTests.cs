using Microsoft.Extensions.Configuration;

namespace ResiliencePresets.Tests.Configuration;

public sealed class PresetConfigurationReaderTests
{
    private const string Client = "ResiliencePresets:Clients:github";

    [Fact]
    public void Apply_EverySetting_IsReadOntoTheOptions()
    {
        var options = new ResiliencePresetOptions();

        var failures = ApplyToClient(options,
            ("Retry:MaxRetryAttempts", "2"),
            ("Retry:BaseDelay", "00:00:00.5"),
            ("Retry:MaxDelay", "00:00:10"),
            ("Retry:MaxRetryAfter", "00:02:00"),
            ("AttemptTimeout", "00:00:05"),
            ("TotalTimeout", "00:00:45"),
            ("CircuitBreaker:Enabled", "false"),
            ("CircuitBreaker:FailureRatio", "0.25"),
            ("CircuitBreaker:MinimumThroughput", "5"),
            ("CircuitBreaker:SamplingDuration", "00:01:00"),
            ("CircuitBreaker:BreakDuration", "00:00:15"),
            ("Idempotency:HeaderName", "X-Request-Key"),
            ("Idempotency:AddMissingKey", "true"),
            ("StatusCodes:409", "Retry(2)"),
            ("StatusCodes:500", "Never"),
            ("Methods:post", "WithIdempotencyKey"),
            ("Methods:GET", "Never"));

        Assert.Empty(failures);
        Assert.Equal(2, options.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(10), options.Retry.MaxDelay);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Retry.MaxRetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(5), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), options.TotalTimeout);
        Assert.False(options.CircuitBreaker.Enabled);
        Assert.Equal(0.25, options.CircuitBreaker.FailureRatio);
        Assert.Equal(5, options.CircuitBreaker.MinimumThroughput);
        Assert.Equal(TimeSpan.FromMinutes(1), options.CircuitBreaker.SamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(15), options.CircuitBreaker.BreakDuration);
        Assert.Equal("X-Request-Key", options.Idempotency.HeaderName);
        Assert.True(options.Idempotency.AddMissingKey);
        Assert.Equal(StatusCodeRule.RetryAtMost(2), options.StatusCodes[409]);
        Assert.Equal(StatusCodeRule.Never, options.StatusCodes[500]);
        Assert.Equal(MethodRetryRule.WithIdempotencyKey, options.Methods["POST"]);
        Assert.Equal(MethodRetryRule.Never, options.Methods["GET"]);
    }

    [Fact]
    public void Apply_KeysAndValuesInAnyCaseAndPadded_AreRead()
    {
        var options = new ResiliencePresetOptions();

        var failures = ApplyToClient(options,
            ("retry:maxretryattempts", " 3 "),
            ("ATTEMPTTIMEOUT", " 00:00:07 "),
            ("circuitbreaker:enabled", "FALSE"),
            ("statuscodes:503", " retry(1) "),
            ("methods:Patch", " withidempotencykey "));

        Assert.Empty(failures);
        Assert.Equal(3, options.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(7), options.AttemptTimeout);
        Assert.False(options.CircuitBreaker.Enabled);
        Assert.Equal(StatusCodeRule.RetryAtMost(1), options.StatusCodes[503]);
        Assert.Equal(MethodRetryRule.WithIdempotencyKey, options.Methods["PATCH"]);
        Assert.Contains("PATCH", options.Methods.Keys);
    }

    [Fact]
    public void Apply_MissingSection_LeavesThePresetAsItWas()
    {
        var options = BuiltInPresets.Create(ResiliencePresetNames.PaymentWithIdempotencyKey);

        var failures = ApplyToClient(options);

        Assert.Empty(failures);
        Assert.Equal(3, options.Retry.MaxRetryAttempts);
        Assert.Equal(StatusCodeRule.Retry, options.StatusCodes[409]);
    }

    [Fact]
    public void Apply_OutOfRangeValue_IsLeftForTheValidator()
    {
        var options = new ResiliencePresetOptions();

        var failures = ApplyToClient(options, ("Retry:MaxRetryAttempts", "-1"), ("AttemptTimeout", "-00:00:01"), ("CircuitBreaker:FailureRatio", "7"));

        Assert.Empty(failures);
        Assert.Equal(-1, options.Retry.MaxRetryAttempts);
        Assert.Equal(TimeSpan.FromSeconds(-1), options.AttemptTimeout);
        Assert.Equal(7, options.CircuitBreaker.FailureRatio);
    }

    [Theory]
    [InlineData("Retyr", "ResiliencePresets:Clients:github:Retyr is not a known setting; the settings under ResiliencePresets:Clients:github are Retry, StatusCodes, Methods, AttemptTimeout, TotalTimeout, CircuitBreaker, Idempotency, RetryBudget, RateLimit, Fallback, Hedging, Shared.")]
    [InlineData("Timeout", "ResiliencePresets:Clients:github:Timeout is not a known setting; the settings under ResiliencePresets:Clients:github are Retry, StatusCodes, Methods, AttemptTimeout, TotalTimeout, CircuitBreaker, Idempotency, RetryBudget, RateLimit, Fallback, Hedging, Shared.")]
    [InlineData("Retry:MaxRetries", "ResiliencePresets:Clients:github:Retry:MaxRetries is not a known setting; the settings under ResiliencePresets:Clients:github:Retry are MaxRetryAttempts, BaseDelay, MaxDelay, MaxRetryAfter.")]
    [InlineData("CircuitBreaker:Ratio", "ResiliencePresets:Clients:github:CircuitBreaker:Ratio is not a known setting; the settings under ResiliencePresets:Clients:github:CircuitBreaker are Enabled, FailureRatio, MinimumThroughput, SamplingDuration, BreakDuration.")]
    [InlineData("Idempotency:Header", "ResiliencePresets:Clients:github:Idempotency:Header is not a known setting; the settings under ResiliencePresets:Clients:github:Idempotency are HeaderName, AddMissingKey.")]
    [InlineData("Hedging:After", "ResiliencePresets:Clients:github:Hedging:After is not a known setting; the settings under ResiliencePresets:Clients:github:Hedging are Enabled, Delay, Percentile, MaxHedgedAttempts.")]
    [InlineData("BasedOn", "ResiliencePresets:Clients:github:BasedOn is not allowed: a client's preset is chosen in code with AddResiliencePreset; BasedOn belongs under Presets.")]
    [InlineData("basedon", "ResiliencePresets:Clients:github:basedon is not allowed: a client's preset is chosen in code with AddResiliencePreset; BasedOn belongs under Presets.")]
    public void Apply_UnknownKeyUnderAClient_IsRejectedWithItsPathAndTheValidKeys(string key, string expected)
    {
        var failures = ApplyToClient(new ResiliencePresetOptions(), (key, "1"));

        Assert.Equal([expected], failures);
    }

    [Fact]
    public void Apply_UnknownKeyUnderAPreset_ListsBasedOnAmongTheValidKeys()
    {
        var section = ConfigurationSections.Build(("Presets:Mine:BasedOn", "ReadOnlyApi"), ("Presets:Mine:Retries", "1")).GetSection("Presets:Mine");
        var options = new ResiliencePresetOptions();
        var failures = new List<string>();

        PresetConfigurationReader.Apply(section, options, allowBasedOn: true, failures);

        Assert.Equal(["ResiliencePresets:Presets:Mine:Retries is not a known setting; the settings under ResiliencePresets:Presets:Mine are BasedOn, Retry, StatusCodes, Methods, AttemptTimeout, TotalTimeout, CircuitBreaker, Idempotency, RetryBudget, RateLimit, Fallback, Hedging, Shared."], failures);
    }

    // BasedOn is read by the resolver from the section; the reader only checks that it is a single value.
    [Fact]
    public void Apply_BasedOnWrittenAsASection_IsReportedAsNotASingleValue()
    {
        var section = ConfigurationSections.Build(("Presets:Mine:BasedOn:Name", "ReadOnlyApi")).GetSection("Presets:Mine");
        var failures = new List<string>();

        PresetConfigurationReader.Apply(section, new ResiliencePresetOptions(), allowBasedOn: true, failures);

        Assert.Equal(["ResiliencePresets:Presets:Mine:BasedOn is a section; it must be a single value (text)."], failures);
    }

    // BasedOn is a preset-level key; under Retry or any other sub-section it is simply not a setting there.
    [Theory]
    [InlineData("Retry:BasedOn", "ResiliencePresets:Presets:Mine:Retry:BasedOn is not a known setting; the settings under ResiliencePresets:Presets:Mine:Retry are MaxRetryAttempts, BaseDelay, MaxDelay, MaxRetryAfter.")]
    [InlineData("Idempotency:BasedOn", "ResiliencePresets:Presets:Mine:Idempotency:BasedOn is not a known setting; the settings under ResiliencePresets:Presets:Mine:Idempotency are HeaderName, AddMissingKey.")]
    public void Apply_BasedOnInsideASubSection_IsReportedAsAnUnknownSettingThere(string key, string expected)
    {
        var section = ConfigurationSections.Build(("Presets:Mine:BasedOn", "ReadOnlyApi"), ($"Presets:Mine:{key}", "ReadOnlyApi")).GetSection("Presets:Mine");
        var failures = new List<string>();

        PresetConfigurationReader.Apply(section, new ResiliencePresetOptions(), allowBasedOn: true, failures);

        Assert.Equal([expected], failures);
    }

    // Enum parsing reads "Never, Retry" as the flag combination Never | Retry, which is Retry.
    [Theory]
    [InlineData("Never, Retry")]
    [InlineData("Never,Retry")]
    [InlineData("Retry,Never")]
    [InlineData("Never,Never")]
    public void Apply_MethodRuleListingSeveralRules_IsRejected(string value)
    {
        var options = new ResiliencePresetOptions();

        var failures = ApplyToClient(options, ("Methods:POST", value));

        Assert.Equal([$"{Client}:Methods:POST is '{value}'; it must be Retry, Never or WithIdempotencyKey."], failures);
        Assert.False(options.Methods.ContainsKey("POST"));
    }

    // Regression: "+1", "+0" and " +2" were read as the enum's numbers, Retry, Never and WithIdempotencyKey, so a
    // method meant to be sent once could be retried.
    [Theory]
    [InlineData("+1")]
    [InlineData("+0")]
    [InlineData(" +2")]
    [InlineData("+1 ")]
    public void Apply_MethodRuleWrittenAsASignedNumber_IsRejected(string value)
    {
        var options = new ResiliencePresetOptions();

        var failures = ApplyToClient(options, ("Methods:POST", value));

        Assert.Equal([$"{Client}:Methods:POST is '{value}'; it must be Retry, Never or WithIdempotencyKey."], failures);
        Assert.False(options.Methods.ContainsKey("POST"));
    }

    [Theory]
    [InlineData("Retry:MaxRetryAttempts", "three", "a whole number")]
    [InlineData("Retry:MaxRetryAttempts", "2.5", "a whole number")]
    [InlineData("Retry:MaxRetryAttempts", "", "a whole number")]
    [InlineData("CircuitBreaker:MinimumThroughput", "1e2", "a whole number")]
    [InlineData("AttemptTimeout", "30", "a time span written as hh:mm:ss, such as 00:00:30")]
    [InlineData("AttemptTimeout", "30s", "a time span written as hh:mm:ss, such as 00:00:30")]
    [InlineData("TotalTimeout", "00:99:00", "a time span written as hh:mm:ss, such as 00:00:30")]
    [InlineData("Retry:BaseDelay", "1.5", "a time span written as hh:mm:ss, such as 00:00:30")]
    [InlineData("CircuitBreaker:Enabled", "yes", "true or false")]
    [InlineData("CircuitBreaker:Enabled", "1", "true or false")]
    [InlineData("Idempotency:AddMissingKey", "on", "true or false")]
    [InlineData("CircuitBreaker:FailureRatio", "half", "a number")]
    [InlineData("CircuitBreaker:FailureRatio", "NaN", "a number")]
    [InlineData("CircuitBreaker:FailureRatio", "Infinity", "a number")]
    [InlineData("CircuitBreaker:FailureRatio", "0,5", "a number")]
    [InlineData("StatusCodes:503", "Always", "Retry, Never or Retry(N) with N at least 1")]
    [InlineData("StatusCodes:503", "Retry(0)", "Retry, Never or Retry(N) with N at least 1")]
    [InlineData("StatusCodes:503", "true", "Retry, Never or Retry(N) with N at least 1")]
    [InlineData("Methods:POST", "Sometimes", "Retry, Never or WithIdempotencyKey")]
    [InlineData("Methods:POST", "1", "Retry, Never or WithIdempotencyKey")]
    [InlineData("Methods:POST", "-1", "Retry, Never or WithIdempotencyKey")]
    [InlineData("Methods:POST", "3", "Retry, Never or WithIdempotencyKey")]
    [InlineData("Methods:POST", "", "Retry, Never or WithIdempotencyKey")]
    public void Apply_ValueOfTheWrongType_IsRejectedWithPathValueAndWhatIsValid(string key, string value, string valid)
    {
        var failures = ApplyToClient(new ResiliencePresetOptions(), (key, value));

        Assert.Equal([$"{Client}:{key} is '{value}'; it must be {valid}."], failures);
    }

    // Regression: a whole number too large for an int ("99999999999") was reported as not a whole number, and a number
    // too large for a double ("1e400") as not a number.
    [Theory]
    [InlineData("Retry:MaxRetryAttempts", "99999999999", "between 0 and 10")]
    [InlineData("Retry:MaxRetryAttempts", "-99999999999", "between 0 and 10")]
    [InlineData("RateLimit:QueueLimit", " 2147483648 ", "between 0 and 100000")]
    [InlineData("CircuitBreaker:MinimumThroughput", "99999999999", "at most 2147483647")]
    [InlineData("CircuitBreaker:FailureRatio", "1e400", "more than 0 and at most 1")]
    [InlineData("RateLimit:PermitsPerSecond", "-1e400", "0 (off) or between 0.001 and 100000")]
    public void Apply_NumberTooLargeForItsType_IsRejectedWithTheSettingsRange(string key, string value, string valid)
    {
        var failures = ApplyToClient(new ResiliencePresetOptions(), (key, value));

        Assert.Equal([$"{Client}:{key} is '{value}'; it must be {valid}."], failures);
    }

    // Regression: TimeSpan.Parse read "00:30" as thirty minutes, "24:00:00" as twenty-four days and "0:0:0:10" as
    // days:hours:minutes:seconds; each was taken without a word.
    [Theory]
    [InlineData("AttemptTimeout", "00:30", "00:30:00")]
    [InlineData("Retry:MaxRetryAfter", "1.00:00", "1.00:00:00")]
    [InlineData("Retry:MaxRetryAfter", "24:00:00", "24.00:00:00")]
    [InlineData("Fallback:StaleIfError", " 36:00:00 ", "36.00:00:00")]
    [InlineData("TotalTimeout", "0:0:0:10", "00:00:10")]
    public void Apply_TimeSpanThatDotnetWouldReadAsSomethingElse_IsRejectedSayingWhat(string key, string value, string dotnetReads)
    {
        var failures = ApplyToClient(new ResiliencePresetOptions(), (key, value));

        Assert.Equal([$"{Client}:{key} is '{value}', which .NET would read as {dotnetReads}; it must be a time span written as [d.]hh:mm:ss with hours from 0 to 23, such as 00:00:30 or 1.00:00:00."], failures);
    }

    [Theory]
    [InlineData("00:00:30", 30)]
    [InlineData("0:0:30", 30)]
    [InlineData("1:00:00", 3600)]
    [InlineData("23:59:59", 86399)]
    [InlineData("1.00:00:00", 86400)]
    [InlineData(" 00:00:00.5 ", 0.5)]
    public void Apply_TimeSpanInTheConstantFormat_IsRead(string value, double seconds)
    {
        var options = new ResiliencePresetOptions();

        var failures = ApplyToClient(options, ("Retry:MaxRetryAfter", value));

        Assert.Empty(failures);
        Assert.Equal(TimeSpan.FromSeconds(seconds), options.Retry.MaxRetryAfter);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("0429")]
    [InlineData("00500")]
    [InlineData("99")]
    [InlineData("600")]
    [InlineData("-1")]
    [InlineData("5xx")]
    public void Apply_StatusCodeKeyThatIsNotAStatusCode_IsRejected(string code)
    {
        var failures = ApplyToClient(new ResiliencePresetOptions(), ($"StatusCodes:{code}", "Retry"));

        Assert.Equal([$"{Client}:StatusCodes:{code} is not a status code; the keys under {Client}:StatusCodes must be whole numbers from 100 to 599."], failures);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("12")]
    [InlineData("GE T")]
    [InlineData("GET/POST")]
    public void Apply_MethodKeyThatIsNotAMethod_IsRejected(string method)
    {
        var failures = ApplyToClient(new ResiliencePresetOptions(), ($"Methods:{method}", "Retry"));

        Assert.Equal([$"{Client}:Methods:{method} is not an HTTP method; the keys under {Client}:Methods must be method names such as GET or POST."], failures);
    }

    [Theory]
    [InlineData("Retry", "3")]
    [InlineData("CircuitBreaker", "true")]
    [InlineData("Idempotency", "Idempotency-Key")]
    [InlineData("StatusCodes", "503")]
    [InlineData("Methods", "GET")]
    public void Apply_SingleValueWhereASectionBelongs_IsRejected(string key, string value)
    {
        var failures = ApplyToClient(new ResiliencePresetOptions(), (key, value));

        Assert.Equal([$"{Client}:{key} is '{value}'; {key} must be a section of settings, not a single value."], failures);
    }

    [Theory]
    [InlineData("Retry:MaxRetryAttempts", "a whole number")]
    [InlineData("AttemptTimeout", "a time span written as hh:mm:ss, such as 00:00:30")]
    [InlineData("CircuitBreaker:Enabled", "true or false")]
    [InlineData("Idempotency:HeaderName", "text")]
    public void Apply_SectionWhereASingleValueBelongs_IsRejected(string key, string description)
    {
        var failures = ApplyToClient(new ResiliencePresetOptions(), ($"{key}:0", "1"));

        Assert.Equal([$"{Client}:{key} is a section; it must be a single value ({description})."], failures);
    }

    // Regression: a section under a status code or a method (a JSON array or object, such as "404": ["Never"]) was
    // reported as the value '', which nobody wrote.
    [Theory]
    [InlineData("StatusCodes:404", "Retry, Never or Retry(N) with N at least 1")]
    [InlineData("Methods:POST", "Retry, Never or WithIdempotencyKey")]
    public void Apply_SectionUnderAStatusCodeOrAMethod_IsRejectedAsASection(string key, string description)
    {
        var options = new ResiliencePresetOptions();

        var failures = ApplyToClient(options, ($"{key}:0", "Never"));

        Assert.Equal([$"{Client}:{key} is a section; it must be a single value ({description})."], failures);
        Assert.False(options.StatusCodes.ContainsKey(404));
        Assert.False(options.Methods.ContainsKey("POST"));
    }

    [Fact]
    public void Apply_SeveralProblems_AreAllReportedAndTheGoodValuesStillApplied()
    {
        var options = new ResiliencePresetOptions();

        var failures = ApplyToClient(options,
            ("Retry:MaxRetryAttempts", "x"),
            ("Retry:MaxDelay", "00:00:05"),
            ("AttemptTimeout", "10"),
            ("Unknown", "1"));

        Assert.Equal(3, failures.Count);
        Assert.Equal(TimeSpan.FromSeconds(5), options.Retry.MaxDelay);
    }

    [Fact]
    public void Apply_HeaderName_IsKeptExactlyAsWrittenForTheValidatorToJudge()
    {
        var options = new ResiliencePresetOptions();

        var failures = ApplyToClient(options, ("Idempotency:HeaderName", " X-Key "));

        Assert.Empty(failures);
        Assert.Equal(" X-Key ", options.Idempotency.HeaderName);
    }

    private static List<string> ApplyToClient(ResiliencePresetOptions options, params (string Key, string? Value)[] settings)
    {
        var section = ConfigurationSections.Build(settings.Select(s => ($"Clients:github:{s.Key}", s.Value)).ToArray()).GetSection("Clients:github");
        var failures = new List<string>();
        PresetConfigurationReader.Apply(section, options, allowBasedOn: false, failures);
        return failures;
    }
}
