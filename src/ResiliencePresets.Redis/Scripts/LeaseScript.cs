namespace ResiliencePresets.Redis;

/// <summary>
/// Leases permits from the one token bucket of a shared key, atomically on Redis's clock. The bucket refills at the
/// client's rate up to its size, and may go into debt by at most the horizon's worth of permits: a permit granted in
/// debt is a reservation, usable once the bucket has earned it, so a process learns in one round trip both how many
/// permits it has and when each may be used. The caller is recorded in the instances set (scored by time, pruned past
/// the liveness window), whose size is returned, so that a process knows how many share the bucket when Redis is gone.
/// </summary>
/// <remarks>
/// KEYS[1]: the bucket hash; KEYS[2]: the instances set. ARGV[1]: permits per second; ARGV[2]: the bucket's size;
/// ARGV[3]: permits wanted; ARGV[4]: the horizon in microseconds; ARGV[5]: this instance's id; ARGV[6]: the liveness
/// window in microseconds; for the bucket of a learned rate only, ARGV[7]: how long ago, in microseconds, the caller's
/// rate was last lowered (or set by a quota), and ARGV[8]: how long, in microseconds, an owner that does not lease
/// keeps the rate. Returns Redis's time, the permits granted, the tokens before the grant (as text; negative in debt),
/// the number of live instances, the rate the bucket refilled at (as text) and, for a learned rate, how long ago (in
/// microseconds) the owner's rate was last lowered and whether the caller is the owner (1) or not (0). The bucket
/// expires once it would be full again, the set after the liveness window. The debt is bounded at the rate the bucket
/// refills at now: after a lower rate (a cut), permits reserved at the higher one are forgiven past one horizon of the
/// new rate, so that the next permit is never further away than the horizon.
/// <para>A learned rate has one owner, kept in the bucket: the instance whose rate was lowered last (a decrease from
/// any instance applies to all), or, once the owner has not leased for its timeout (it went idle, or its process
/// ended), the next caller. The owner's rate, raised as its learner grows, is the bucket's, whoever leases: a caller
/// that is not the owner refills it at the owner's rate, not its own, so that an increase never takes the total past
/// the rate of the latest decrease and a caller whose own rate lags does not hold the others back. The owner's rate
/// and the age of its cut go back to every other caller, whose learner takes them as its own (a decrease counts once
/// for all processes).</para>
/// </remarks>
internal static class LeaseScript
{
    public const string Text = """
        if redis.replicate_commands then redis.replicate_commands() end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local rate = tonumber(ARGV[1]) / 1000000
        local size = tonumber(ARGV[2])
        local window = tonumber(ARGV[6])
        local state = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'owner', 'rate', 'cut', 'seen')
        local tokens = tonumber(state[1])
        local at = tonumber(state[2])
        local sinceCut = nil
        local owner = 0
        if ARGV[7] then
          local cut = now - tonumber(ARGV[7])
          local owned = tonumber(state[4])
          local ownerCut = tonumber(state[5]) or 0
          local seen = tonumber(state[6]) or 0
          local timeout = tonumber(ARGV[8]) or window
          if owned == nil or state[3] == ARGV[5] or cut > ownerCut or seen < now - timeout then
            ownerCut = math.max(cut, ownerCut)
            owner = 1
            redis.call('HSET', KEYS[1], 'owner', ARGV[5], 'rate', string.format('%.6f', rate * 1000000), 'cut', string.format('%.0f', ownerCut), 'seen', string.format('%.0f', now))
          else
            rate = owned / 1000000
          end
          sinceCut = math.max(0, now - ownerCut)
        end
        if tokens == nil or at == nil then
          tokens = size
        elseif now > at then
          tokens = math.min(size, tokens + (now - at) * rate)
        end
        tokens = math.max(tokens, -tonumber(ARGV[4]) * rate)
        local grant = math.floor(tokens + tonumber(ARGV[4]) * rate)
        grant = math.max(0, math.min(tonumber(ARGV[3]), grant))
        local before = tokens
        tokens = tokens - grant
        redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', string.format('%.0f', now))
        redis.call('PEXPIRE', KEYS[1], math.ceil((size - tokens) / rate / 1000) + 1000)
        redis.call('ZADD', KEYS[2], now, ARGV[5])
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
        redis.call('PEXPIRE', KEYS[2], math.ceil(window / 1000))
        return {now, grant, tostring(before), redis.call('ZCARD', KEYS[2]), string.format('%.6f', rate * 1000000), string.format('%.0f', sinceCut or 0), owner}
        """;
}
