namespace ResiliencePresets.Redis;

/// <summary>
/// The shared pause, moved later atomically on Redis's clock: <c>until = max(until, TIME + wait)</c>. A wait of 0 only
/// reads it. A pause that moved is published on the key's channel, so other processes learn of it without polling;
/// the key expires a second after the pause ends.
/// </summary>
/// <remarks>
/// KEYS[1]: the pause hash. ARGV[1]: the wait in microseconds; ARGV[2]: the channel; ARGV[3]: the bounded reason.
/// Returns Redis's time and the pause's end, both in microseconds since the Unix epoch, and the reason of the pause in
/// force. <c>redis.replicate_commands</c> lets Redis before 5 write after <c>TIME</c>; newer servers always do.
/// </remarks>
internal static class PauseScript
{
    public const string Text = """
        if redis.replicate_commands then redis.replicate_commands() end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local current = tonumber(redis.call('HGET', KEYS[1], 'until') or '0') or 0
        local wait = tonumber(ARGV[1])
        if wait > 0 and now + wait > current then
          current = now + wait
          local untilText = string.format('%.0f', current)
          redis.call('HSET', KEYS[1], 'until', untilText, 'reason', ARGV[3])
          redis.call('PEXPIRE', KEYS[1], math.ceil(wait / 1000) + 1000)
          redis.call('PUBLISH', ARGV[2], string.format('%.0f', now) .. '|' .. untilText .. '|' .. ARGV[3])
          return {now, current, ARGV[3]}
        end
        return {now, current, redis.call('HGET', KEYS[1], 'reason') or ''}
        """;
}
