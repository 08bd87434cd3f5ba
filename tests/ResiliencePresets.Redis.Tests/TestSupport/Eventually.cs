using System.Diagnostics;

namespace ResiliencePresets.Redis.Tests.TestSupport;

/// <summary>
/// Waits for something another thread or process makes true (a pub/sub notice arriving, a reconnect), polling every
/// 10 ms; the limit only bounds a deadlock, it is not what makes the condition true.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(15);

    public static async Task<T> Value<T>(Func<Task<T>> read, Func<T, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > Limit)
            {
                throw new TimeoutException($"{what} did not happen within {Limit.TotalSeconds} s; last value: {value}.");
            }

            await Task.Delay(10);
        }
    }

    public static Task<T> Value<T>(Func<T> read, Func<T, bool> done, string what) => Value(() => Task.FromResult(read()), done, what);
}
