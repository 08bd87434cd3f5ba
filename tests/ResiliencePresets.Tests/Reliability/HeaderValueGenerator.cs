using System.Globalization;
using System.Text;

namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// Generates the rate-limit and retry headers a server might send, from a seeded <see cref="Random"/>: every header the
/// reader knows (and a few it does not), with numbers of every size and sign, fractions, dates far in the past and
/// future, Unix times, RateLimit fields, arbitrary text, and the same header several times.
/// </summary>
public sealed class HeaderValueGenerator(Random random)
{
    public static readonly string[] KnownNames =
    [
        "Retry-After", "retry-after-ms", "x-ms-retry-after-ms", "RateLimit", "RateLimit-Reset", "RateLimit-Remaining",
        "X-RateLimit-Reset", "X-RateLimit-Remaining", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests",
        "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens", "anthropic-ratelimit-requests-remaining",
        "anthropic-ratelimit-requests-reset", "anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-tokens-reset",
        "anthropic-ratelimit-input-tokens-remaining", "anthropic-ratelimit-input-tokens-reset",
        "anthropic-ratelimit-output-tokens-remaining", "anthropic-ratelimit-output-tokens-reset",
    ];

    private static readonly string[] OtherNames =
    [
        "RateLimit-Policy", "X-RateLimit-Limit", "Retry-After-Ms", "RETRY-AFTER", "x-retry-after", "x-ratelimit-limit-requests",
        "x-ratelimit-resource", "x-ratelimit-used", "anthropic-ratelimit-requests-limit", "X-RATELIMIT-RESET-TOKENS",
    ];

    private static readonly string[] DurationUnits = ["h", "m", "s", "ms", "us", "\u00B5s", "\u03BCs", "ns", "d", "", "S", " s"];

    private static readonly string[] Edges =
    [
        "", " ", "0", "-0", "00", "1", "-1", "+1", "1.5", "-1.5", ".5", "5.", "0.0001", "1e3", "1E-3", "0x10", "NaN", "Infinity",
        "-Infinity", "2147483647", "2147483648", "-2147483649", "9223372036854775807", "9223372036854775808",
        "-9223372036854775808", "9223372036854775807.5", "2147483647.5", "2147483646.5", "99999999999999999999999999", "922337203685.4775807", "1000000000", "1000000001",
        "253402300799", "253402300800", "1,5", "1 2", "١٢", "５", "\t3\t", "3 ", " 3", "3;", "\"3\"", "0.000000001",
        "1.7976931348623157E+308", "4.9E-324", "10675199.02:48:05",
    ];

    private static readonly string[] Junk = ["=", ";", ",", "\"", "r=", "t=", ";;;", ",,,", "\u0000", "\u00ff", "é", "😀", "\\", "(", ")", "%"];

    private readonly Random _random = random;

    /// <summary>Generates 1 to 5 headers, with duplicate names on purpose.</summary>
    public List<(string Name, string Value)> Headers()
    {
        var headers = new List<(string, string)>();
        var count = _random.Next(1, 6);
        for (var i = 0; i < count; i++)
        {
            var name = headers.Count > 0 && _random.Next(4) == 0 ? headers[_random.Next(headers.Count)].Item1
                : _random.Next(10) == 0 ? Pick(OtherNames)
                : Pick(KnownNames);
            headers.Add((name, Value(name)));
        }

        return headers;
    }

    /// <summary>A wait as servers usually send it: seconds, milliseconds or a reset time, mostly short.</summary>
    public (string Name, string Value) PlausibleWait()
    {
        var seconds = Math.Pow(_random.NextDouble(), 3) * 120;
        return _random.Next(4) switch
        {
            0 => ("retry-after-ms", (seconds * 1000).ToString("F1", CultureInfo.InvariantCulture)),
            1 => ("RateLimit", $"\"default\";r=0;t={(int)seconds}"),
            2 => ("X-RateLimit-Reset", (new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds() + (long)seconds).ToString(CultureInfo.InvariantCulture)),
            _ => ("Retry-After", ((int)seconds).ToString(CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>
    /// A remaining quota and its reset as servers send them, with a reset of any size: from a second to past the end of
    /// <see cref="DateTimeOffset"/>.
    /// </summary>
    public IEnumerable<(string Name, string Value)> PlausibleQuota()
    {
        var remaining = _random.Next(4) == 0 ? 0 : _random.Next(1, 100);
        var seconds = _random.Next(4) switch
        {
            0 => NextLong(100_000_000_000, 922_337_203_685),
            1 => NextLong(1, 1_000_000_000),
            _ => (long)(Math.Pow(_random.NextDouble(), 3) * 3600) + 1,
        };
        var text = seconds.ToString(CultureInfo.InvariantCulture);
        var left = remaining.ToString(CultureInfo.InvariantCulture);
        var start = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        var instant = seconds < (DateTimeOffset.MaxValue - start).TotalSeconds ? start.AddSeconds(seconds) : DateTimeOffset.MaxValue;
        var anthropic = Pick((string[])["requests", "tokens", "input-tokens", "output-tokens"]);
        return _random.Next(6) switch
        {
            0 => [("RateLimit", $"\"default\";r={left};t={text}")],
            1 => [("RateLimit-Remaining", left), ("RateLimit-Reset", text)],
            2 => [("x-ratelimit-remaining-requests", left), ("x-ratelimit-reset-requests", GoForm(seconds))],
            3 => [("x-ratelimit-remaining-tokens", left), ("x-ratelimit-reset-tokens", GoForm(seconds)), ("x-ratelimit-remaining-requests", "5"), ("x-ratelimit-reset-requests", "1s")],
            4 => [($"anthropic-ratelimit-{anthropic}-remaining", left), ($"anthropic-ratelimit-{anthropic}-reset", instant.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture))],
            _ => [("X-RateLimit-Remaining", left), ("X-RateLimit-Reset", Math.Min(seconds, 1_000_000_000).ToString(CultureInfo.InvariantCulture))],
        };
    }

    // A reset in seconds as Go writes a duration: 6m0s, 1h2m3s, 0.5s.
    private static string GoForm(long seconds)
    {
        var hours = seconds / 3600;
        var minutes = seconds % 3600 / 60;
        return hours > 0 ? $"{hours}h{minutes}m{seconds % 60}s" : minutes > 0 ? $"{minutes}m{seconds % 60}s" : $"{seconds}s";
    }

    /// <summary>A moment to read the headers at: usually now-ish, sometimes near the ends of <see cref="DateTimeOffset"/>.</summary>
    public DateTimeOffset Now() => _random.Next(20) switch
    {
        0 => DateTimeOffset.MinValue.AddDays(_random.Next(0, 1000)),
        1 => DateTimeOffset.MaxValue.AddDays(-_random.Next(0, 1000)),
        _ => new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero).AddTicks(NextLong(-TimeSpan.TicksPerDay * 365 * 30, TimeSpan.TicksPerDay * 365 * 30)),
    };

    private string Value(string name) => _random.Next(10) switch
    {
        0 => Pick(Edges),
        1 => Arbitrary(),
        2 => Number(),
        3 => HttpDate(),
        4 => UnixTime(),
        5 => Field(),
        6 => Duration(),
        7 => Instant(),
        _ => name.StartsWith("RateLimit", StringComparison.OrdinalIgnoreCase) && !name.Contains('-', StringComparison.Ordinal) ? Field()
            : name.Equals("Retry-After", StringComparison.OrdinalIgnoreCase) && _random.Next(2) == 0 ? HttpDate()
            : name.StartsWith("x-ratelimit-reset-", StringComparison.OrdinalIgnoreCase) ? Duration()
            : name.EndsWith("-reset", StringComparison.OrdinalIgnoreCase) && name.StartsWith("anthropic", StringComparison.OrdinalIgnoreCase) ? Instant()
            : Number(),
    };

    /// <summary>Go durations as OpenAI writes them (1s, 6m0s, 20ms, 1h2m3.5s), mixed with numbers of every size, signs,
    /// units Go does not know and junk.</summary>
    public string Duration()
    {
        var text = new StringBuilder();
        if (_random.Next(10) == 0)
        {
            text.Append(Pick((string[])["-", "+", " "]));
        }

        var parts = _random.Next(1, 5);
        for (var i = 0; i < parts; i++)
        {
            text.Append(_random.Next(4) switch
            {
                0 => Pick(Edges),
                1 => Number(),
                _ => (Math.Pow(_random.NextDouble(), 2) * 100).ToString("F" + _random.Next(0, 4).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            });
            text.Append(_random.Next(8) == 0 ? Pick(Junk) : Pick(DurationUnits));
        }

        return text.ToString();
    }

    /// <summary>RFC 3339 instants as Anthropic writes them, with offsets, fractions of any length, and dates near the ends
    /// of time or impossible ones.</summary>
    public string Instant()
    {
        var date = _random.Next(5) switch
        {
            0 => DateTimeOffset.MinValue.AddTicks(NextLong(0, TimeSpan.TicksPerDay * 3)),
            1 => DateTimeOffset.MaxValue.AddTicks(-NextLong(0, TimeSpan.TicksPerDay * 3)),
            _ => new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero).AddTicks(NextLong(-TimeSpan.TicksPerHour, TimeSpan.TicksPerDay)),
        };
        var offset = _random.Next(3) == 0 ? "Z" : $"{Pick((string[])["+", "-"])}{_random.Next(0, 30):D2}:{_random.Next(0, 70):D2}";
        var fraction = _random.Next(2) == 0 ? "" : "." + new string('7', _random.Next(0, 12));
        var text = date.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + fraction + offset;
        return _random.Next(8) switch
        {
            0 => text.Replace('T', Pick((string[])["t", " ", "X"])[0]),
            1 => text[..^_random.Next(1, text.Length)],
            2 => text.Replace("-", Pick((string[])["/", "--", "-"]), StringComparison.Ordinal),
            3 => $"{_random.Next(0, 10_000):D4}-{_random.Next(0, 14):D2}-{_random.Next(0, 33):D2}T{_random.Next(0, 26):D2}:{_random.Next(0, 62):D2}:{_random.Next(0, 62):D2}{offset}",
            _ => text,
        };
    }

    private string Number() => _random.Next(6) switch
    {
        0 => _random.Next(0, 100).ToString(CultureInfo.InvariantCulture),
        1 => NextLong(long.MinValue, long.MaxValue).ToString(CultureInfo.InvariantCulture),
        2 => (_random.NextDouble() * Math.Pow(10, _random.Next(-5, 30)) * (_random.Next(4) == 0 ? -1 : 1)).ToString("R", CultureInfo.InvariantCulture),
        3 => (_random.NextDouble() * 1000).ToString("F" + _random.Next(0, 8).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
        4 => new string('9', _random.Next(1, 40)),
        _ => (-_random.Next(0, 100_000)).ToString(CultureInfo.InvariantCulture),
    };

    private string HttpDate()
    {
        var date = _random.Next(4) switch
        {
            0 => DateTimeOffset.MinValue.AddTicks(NextLong(0, TimeSpan.TicksPerDay * 365 * 10)),
            1 => DateTimeOffset.MaxValue.AddTicks(-NextLong(0, TimeSpan.TicksPerDay * 365 * 10)),
            _ => new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero).AddSeconds(_random.Next(-100_000, 100_000)),
        };
        return _random.Next(4) switch
        {
            0 => date.ToString("O", CultureInfo.InvariantCulture),
            1 => date.ToString("dddd, dd-MMM-yy HH:mm:ss 'GMT'", CultureInfo.InvariantCulture),
            2 => date.ToString("ddd MMM d HH:mm:ss yyyy", CultureInfo.InvariantCulture),
            _ => date.ToString("R", CultureInfo.InvariantCulture),
        };
    }

    private string UnixTime()
    {
        var now = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        return _random.Next(3) switch
        {
            0 => (now + _random.Next(-100_000, 100_000)).ToString(CultureInfo.InvariantCulture),
            1 => (1_000_000_000 + _random.Next(-10, 10)).ToString(CultureInfo.InvariantCulture),
            _ => NextLong(0, long.MaxValue).ToString(CultureInfo.InvariantCulture),
        };
    }

    // The current draft's list of policies ("default";r=0;t=30) and the older dictionary form (limit=100, remaining=0, reset=30), mixed with junk.
    private string Field()
    {
        var text = new StringBuilder();
        var items = _random.Next(0, 4);
        for (var i = 0; i < items; i++)
        {
            if (i > 0)
            {
                text.Append(_random.Next(5) == 0 ? ";" : ", ");
            }

            if (_random.Next(2) == 0)
            {
                text.Append("\"p").Append(i).Append('"');
                foreach (var key in (string[])["r", "t", "q", "w", "R", "T"])
                {
                    if (_random.Next(2) == 0)
                    {
                        text.Append(';').Append(key).Append('=').Append(_random.Next(3) == 0 ? Pick(Edges) : Number());
                    }
                }
            }
            else
            {
                text.Append(Pick((string[])["limit", "remaining", "reset", "Remaining", "RESET", "r", "t"])).Append('=').Append(_random.Next(3) == 0 ? Pick(Edges) : Number());
            }

            if (_random.Next(6) == 0)
            {
                text.Append(Pick(Junk));
            }
        }

        return text.ToString();
    }

    private string Arbitrary()
    {
        var text = new StringBuilder();
        var length = _random.Next(0, 40);
        for (var i = 0; i < length; i++)
        {
            text.Append(_random.Next(4) switch
            {
                0 => Pick(Junk),
                1 => ((char)_random.Next(0x20, 0x7f)).ToString(),
                2 => ((char)_random.Next(0, 0xd800)).ToString(),
                _ => _random.Next(0, 10).ToString(CultureInfo.InvariantCulture),
            });
        }

        return text.ToString();
    }

    private long NextLong(long min, long max) => _random.NextInt64(min, max);

    private T Pick<T>(T[] items) => items[_random.Next(items.Length)];
}
