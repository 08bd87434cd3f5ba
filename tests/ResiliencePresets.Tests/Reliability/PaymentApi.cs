namespace ResiliencePresets.Tests.Reliability;

/// <summary>
/// A payment provider's charge endpoint, in memory, following the IETF Idempotency-Key draft as payment providers do:
/// the first request with a key is charged and its reply stored; a repeat with the same body gets the stored reply, a
/// repeat with another body 422, and a repeat while the first is still being processed 409. A request without a key
/// is charged every time.
/// </summary>
public sealed class PaymentApi
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, KeyRecord> _keys = new(StringComparer.Ordinal);
    private readonly List<Charge> _charges = [];
    private TaskCompletionSource _idle = NewIdle(completed: true);
    private int _processing;
    private int _replays;
    private int _conflicts;
    private int _keyMismatches;
    private int _keylessCharges;

    /// <summary>Gets the replies sent again for a repeated key.</summary>
    public int Replays => Read(ref _replays);

    /// <summary>Gets the 409s: a repeated key whose first request was still being processed.</summary>
    public int Conflicts => Read(ref _conflicts);

    /// <summary>Gets the 422s: a repeated key with a different body.</summary>
    public int KeyMismatches => Read(ref _keyMismatches);

    /// <summary>Gets the charges made for requests without a key.</summary>
    public int KeylessCharges => Read(ref _keylessCharges);

    /// <summary>Gets a snapshot of every charge, in the order they were made.</summary>
    public IReadOnlyList<Charge> Charges()
    {
        lock (_gate)
        {
            return [.. _charges];
        }
    }

    /// <summary>
    /// Handles one charge request. A first request with a key charges at once and keeps the key in flight for
    /// <paramref name="processingTime"/> before its reply is stored, like a provider still talking to the card network.
    /// </summary>
    public async Task<ChargeReply> ChargeAsync(string? key, string body, TimeSpan processingTime)
    {
        if (!Payment.TryParse(body, out var payment))
        {
            return ChargeReply.Error(400, "The body is not a payment.");
        }

        KeyRecord record;
        ChargeReply reply;
        lock (_gate)
        {
            if (key is null)
            {
                _keylessCharges++;
                return Record(payment, key);
            }

            if (_keys.TryGetValue(key, out var existing))
            {
                return Repeat(existing, body);
            }

            record = new KeyRecord(body);
            _keys.Add(key, record);
            reply = Record(payment, key);
            if (processingTime <= TimeSpan.Zero)
            {
                record.Reply = reply;
                return reply;
            }

            if (_processing++ == 0)
            {
                _idle = NewIdle(completed: false);
            }
        }

        // The processing goes on whatever the client does, as it would at a provider: no cancellation token.
        await Task.Delay(processingTime).ConfigureAwait(false);
        lock (_gate)
        {
            record.Reply = reply;
            if (--_processing == 0)
            {
                _idle.TrySetResult();
            }
        }

        return reply;
    }

    /// <summary>Completes when no key is being processed.</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            return _idle.Task;
        }
    }

    private ChargeReply Repeat(KeyRecord existing, string body)
    {
        if (!string.Equals(existing.Body, body, StringComparison.Ordinal))
        {
            _keyMismatches++;
            return ChargeReply.Error(422, "This idempotency key was used with a different request body.");
        }

        if (existing.Reply is not ChargeReply stored)
        {
            _conflicts++;
            return ChargeReply.Error(409, "A request with this idempotency key is still being processed.");
        }

        _replays++;
        return stored with { Replayed = true };
    }

    private ChargeReply Record(Payment payment, string? key)
    {
        var charge = new Charge($"ch_{_charges.Count + 1:D6}", payment.PaymentId, payment.Amount, key);
        _charges.Add(charge);
        return new ChargeReply(201, charge.ToJson());
    }

    private int Read(ref int counter)
    {
        lock (_gate)
        {
            return counter;
        }
    }

    private static TaskCompletionSource NewIdle(bool completed)
    {
        var idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (completed)
        {
            idle.SetResult();
        }

        return idle;
    }

    private sealed class KeyRecord(string body)
    {
        public string Body { get; } = body;

        public ChargeReply? Reply { get; set; }
    }
}
