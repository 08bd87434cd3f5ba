namespace ResiliencePresets.Redis;

/// <summary>
/// The shared pauses of a key, one field per scope (an authority, or a limit a server named there), each moved later
/// atomically on Redis's clock: <c>until = max(until, TIME + wait)</c>. Run with no pause, it only reads them. A pause
/// that moved is published on the key's channel, so other processes learn of it without polling. Ended pauses are
/// removed as the script passes; the key expires a second after its last pause ends; a key holds at most as many
/// scopes as one client may have.
/// </summary>
/// <remarks>
/// KEYS[1]: the pause hash; KEYS[2]: the instances set (as <see cref="LeaseScript"/> keeps it). ARGV[1]: the channel;
/// ARGV[2]: the most scopes kept; ARGV[3]: this instance's id; ARGV[4]: the liveness window in microseconds; then, per
/// pause to write, three values: the scope's field, the wait in microseconds, the bounded reason. A field's value, and
/// a notice, is <c>until|reason</c> (a notice starts with <c>now|</c>); times are microseconds since the Unix epoch on
/// Redis's clock. The caller is recorded in the instances set, as a lease records it, so that a process that joins or
/// announces a pause counts among the instances before it ever leases. Returns Redis's time, the number of live
/// instances, then the value of every pause in force. <c>redis.replicate_commands</c> lets Redis before 5 write after
/// <c>TIME</c>; newer servers always do.
/// </remarks>
internal static class PauseScript
{
    public const string Text = """
        if redis.replicate_commands then redis.replicate_commands() end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local live = {}
        local count = 0
        local latest = now
        local entries = redis.call('HGETALL', KEYS[1])
        for i = 1, #entries, 2 do
          local ends = tonumber(string.match(entries[i + 1], '^%d+')) or 0
          if ends <= now then
            redis.call('HDEL', KEYS[1], entries[i])
          else
            live[entries[i]] = entries[i + 1]
            count = count + 1
            latest = math.max(latest, ends)
          end
        end
        for i = 5, #ARGV, 3 do
          local field = ARGV[i]
          local ends = now + tonumber(ARGV[i + 1])
          local current = live[field] and (tonumber(string.match(live[field], '^%d+')) or 0) or 0
          if ends > current and (live[field] or count < tonumber(ARGV[2])) then
            if not live[field] then count = count + 1 end
            local value = string.format('%.0f', ends) .. '|' .. ARGV[i + 2]
            live[field] = value
            latest = math.max(latest, ends)
            redis.call('HSET', KEYS[1], field, value)
            redis.call('PUBLISH', ARGV[1], string.format('%.0f', now) .. '|' .. value)
          end
        end
        if count > 0 then redis.call('PEXPIRE', KEYS[1], math.ceil((latest - now) / 1000) + 1000) end
        local window = tonumber(ARGV[4])
        redis.call('ZADD', KEYS[2], now, ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
        redis.call('PEXPIRE', KEYS[2], math.ceil(window / 1000))
        local result = {now, redis.call('ZCARD', KEYS[2])}
        for _, value in pairs(live) do result[#result + 1] = value end
        return result
        """;
}
