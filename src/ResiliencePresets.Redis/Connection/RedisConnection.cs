using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ResiliencePresets.Redis;

/// <summary>
/// The one Redis connection of a service provider, and whether it can be used now. Every call is bounded by a
/// timeout and never throws: a call that times out, fails, or finds Redis disconnected returns <see langword="null"/>
/// and marks the connection degraded (one Warning), after which calls go straight to local behavior, costing nothing,
/// while a background probe runs a script on Redis every quarter second; the first that runs ends it (one Information)
/// and tells every shared client to catch up. A script, not a PING: a Redis that answers PING but refuses scripts (an
/// ACL without EVAL) would end the degraded mode at each probe and start it again at the next call. Reconnecting is
/// StackExchange.Redis's own.
/// </summary>
internal sealed class RedisConnection : IDisposable
{
    private const string ProbeScript = "return 1";

    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ResubscribeAllowance = TimeSpan.FromSeconds(1);

    private readonly Task<IConnectionMultiplexer?> _connecting;
    private readonly bool _owned;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SharedMetrics _metrics;
    private readonly CancellationTokenSource _stopping = new();
    private int _degraded;
    private int _lost;
    private int _connectWaited;
    private long _degradedSince;

    /// <summary>Starts creating the multiplexer with <paramref name="connect"/>, once, in the background, so that no
    /// request waits for it; <paramref name="owned"/> says whether it is disposed with this connection (one created from
    /// a configuration string).</summary>
    public RedisConnection(Func<IConnectionMultiplexer> connect, bool owned, TimeProvider time, ILogger logger, SharedMetrics metrics)
    {
        _owned = owned;
        _time = time;
        _logger = logger;
        _metrics = metrics;
        metrics.Watch(() => IsDegraded);
        _connecting = Task.Run(() => Connect(connect));
        _ = _connecting.ContinueWith(
            connected =>
            {
                if (connected.Result is { IsConnected: true })
                {
                    Usable?.Invoke();
                }
                else
                {
                    Degrade("connect", connected.Result is null ? "error" : "disconnected");
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Raised, on a background thread, when the connection is first made and whenever it is usable again.</summary>
    public event Action? Usable;

    public bool IsDegraded => Volatile.Read(ref _degraded) == 1;

    /// <summary>Gets the multiplexer once it has been created; <see langword="null"/> before, or if creating it failed.</summary>
    public IConnectionMultiplexer? Multiplexer => _connecting.IsCompletedSuccessfully ? _connecting.Result : null;

    /// <summary>
    /// Runs a script within <paramref name="timeout"/>, the wait for the first connection included; <see langword="null"/>
    /// when Redis is not usable now, and the caller goes on with local state.
    /// </summary>
    public async ValueTask<RedisResult?> EvaluateAsync(string operation, string script, RedisKey[] keys, RedisValue[] values, TimeSpan timeout)
    {
        var started = _time.GetTimestamp();
        var multiplexer = Multiplexer;
        if (multiplexer is null && !_connecting.IsCompleted)
        {
            // Once a call has waited its whole timeout for the connection, the calls after it go on locally at once
            // until it is made: a request's attempt would otherwise wait once per call it makes.
            if (Volatile.Read(ref _connectWaited) == 1)
            {
                _metrics.Fallback(operation, "connecting");
                return null;
            }

            try
            {
                multiplexer = await _connecting.WaitAsync(timeout, _time).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Volatile.Write(ref _connectWaited, 1);
                _metrics.Fallback(operation, "connecting");
                return null;
            }
        }

        if (multiplexer is null || IsDegraded || !multiplexer.IsConnected)
        {
            _metrics.Fallback(operation, "disconnected");
            Degrade(operation, "disconnected");
            return null;
        }

        // One timeout for the whole call, the wait for the first connection included; a call left less than half of it
        // is not made, so that a connection made late does not look slow.
        var left = timeout - _time.GetElapsedTime(started);
        if (left < timeout / 2)
        {
            _metrics.Fallback(operation, "connecting");
            return null;
        }

        Task<RedisResult>? call = null;
        try
        {
            _metrics.RoundTrip(operation);
            call = multiplexer.GetDatabase().ScriptEvaluateAsync(script, keys, values);
            return await call.WaitAsync(left, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The call may still end, later: its outcome is observed and dropped.
            _ = call?.ContinueWith(static t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            _metrics.Fallback(operation, "timeout");
            Degrade(operation, "timeout");
            return null;
        }
#pragma warning disable CA1031 // Whatever Redis or the client library throws, the request goes on with local state.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _metrics.Fallback(operation, "error");
            Degrade(operation, e.GetType().Name);
            return null;
        }
    }

    /// <summary>Subscribes to a channel once the connection exists; StackExchange.Redis resubscribes after a reconnect.</summary>
    public void Subscribe(RedisChannel channel, Action<RedisChannel, RedisValue> handler)
    {
        _ = SubscribeAsync(channel, handler);
    }

    public void Dispose()
    {
        _stopping.Cancel();
        if (_owned && _connecting.IsCompletedSuccessfully)
        {
            _connecting.Result?.Dispose();
        }

        _stopping.Dispose();
    }

    private async Task SubscribeAsync(RedisChannel channel, Action<RedisChannel, RedisValue> handler)
    {
        try
        {
            if (await _connecting.ConfigureAwait(false) is { } multiplexer)
            {
                await multiplexer.GetSubscriber().SubscribeAsync(channel, handler).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // A subscription that fails is made again by StackExchange.Redis when it reconnects; pauses still arrive through the next sync.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Degrade("subscribe", e.GetType().Name);
        }
    }

    // The first calls on a new connection run code for the first time; made here, without a timeout, they cannot make a
    // request's call slow and degrade the connection on start.
    private static async Task WarmUpAsync(IConnectionMultiplexer multiplexer)
    {
        try
        {
            var database = multiplexer.GetDatabase();
            await database.PingAsync().ConfigureAwait(false);
            await database.ScriptEvaluateAsync(ProbeScript).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Not connected yet: the first request's call says so, and the probe takes over.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private async Task<IConnectionMultiplexer?> Connect(Func<IConnectionMultiplexer> connect)
    {
        try
        {
            var multiplexer = connect();
            multiplexer.ConnectionFailed += (_, _) => Volatile.Write(ref _lost, 1);
            multiplexer.ConnectionRestored += (_, _) =>
            {
                if (Interlocked.Exchange(ref _lost, 0) == 1)
                {
                    _ = RestoredAsync();
                }
            };
            await WarmUpAsync(multiplexer).ConfigureAwait(false);
            return multiplexer;
        }
#pragma warning disable CA1031 // A connection that cannot be made leaves every client on local state.
        catch (Exception e)
#pragma warning restore CA1031
        {
            SharedLog.ConnectFailed(_logger, e.GetType().Name);
            return null;
        }
    }

    private void Degrade(string operation, string reason)
    {
        if (Interlocked.Exchange(ref _degraded, 1) == 1)
        {
            return;
        }

        Volatile.Write(ref _degradedSince, _time.GetTimestamp());
        SharedLog.Degraded(_logger, operation, reason);
        _ = ProbeUntilUsableAsync();
    }

    private async Task ProbeUntilUsableAsync()
    {
        try
        {
            // A multiplexer that could not be created never comes back: nothing to probe.
            while (IsDegraded && !_stopping.IsCancellationRequested && !(_connecting.IsCompleted && Multiplexer is null))
            {
                await Task.Delay(ProbeInterval, _time, _stopping.Token).ConfigureAwait(false);
                await ProbeAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The service provider is being disposed.
        }
    }

    // A connection made again may have missed notices: every shared key syncs, now and once more a second later, when
    // the subscriptions StackExchange.Redis restores are surely back.
    private async Task RestoredAsync()
    {
        try
        {
            for (var round = 0; round < 2 && !_stopping.IsCancellationRequested; round++)
            {
                if (round > 0)
                {
                    await Task.Delay(ResubscribeAllowance, _time, _stopping.Token).ConfigureAwait(false);
                }

                if (IsDegraded)
                {
                    await ProbeAsync().ConfigureAwait(false);
                }
                else
                {
                    Usable?.Invoke();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The service provider is being disposed.
        }
    }

    private async Task ProbeAsync()
    {
        if (!IsDegraded || Multiplexer is not { IsConnected: true } multiplexer)
        {
            return;
        }

        try
        {
            await multiplexer.GetDatabase().ScriptEvaluateAsync(ProbeScript).WaitAsync(ProbeTimeout, _time).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Not usable yet: the next probe asks again.
        catch (Exception)
#pragma warning restore CA1031
        {
            return;
        }

        if (Interlocked.Exchange(ref _degraded, 0) == 1)
        {
            var seconds = _time.GetElapsedTime(Volatile.Read(ref _degradedSince)).TotalSeconds;
            SharedLog.Recovered(_logger, seconds);
            Usable?.Invoke();
        }
    }
}
