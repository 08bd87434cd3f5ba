using System.Diagnostics.CodeAnalysis;
using System.Net.Http.Headers;

namespace ResiliencePresets;

/// <summary>
/// The one rule for "does this request have an idempotency key": every step that asks (the method gate, the stamp, the
/// resend guard) reads the key here.
/// </summary>
/// <remarks>
/// A caller can put the header in <see cref="HttpRequestMessage.Headers"/> (where <see cref="HttpClient"/> has already
/// merged <see cref="HttpClient.DefaultRequestHeaders"/> by the time a preset sees the request) or in
/// <see cref="HttpContent.Headers"/>; both go on the wire, so both are read. A blank value is no key: a server that
/// treats it as missing would act on every attempt. Two or more values that are not blank, even equal ones, are no single
/// key either: a server may read them joined (<c>a, b</c>), pick one, or refuse them, and the caller cannot know which
/// key a later reconciliation must send. A value is opaque: a comma inside one is not split.
/// </remarks>
internal static class IdempotencyKey
{
    public static IdempotencyKeyPresence Read(HttpRequestMessage request, string headerName, out string? key)
    {
        key = null;
        var count = Count(request.Headers, headerName, ref key);
        if (request.Content is { } content)
        {
            count += Count(content.Headers, headerName, ref key);
        }

        return count switch
        {
            0 => IdempotencyKeyPresence.None,
            1 => IdempotencyKeyPresence.One,
            _ => IdempotencyKeyPresence.Several,
        };
    }

    /// <summary>Returns whether the request carries exactly one key that is not blank, and that key.</summary>
    public static bool TryRead(HttpRequestMessage request, string headerName, [NotNullWhen(true)] out string? key)
        => Read(request, headerName, out key) == IdempotencyKeyPresence.One;

    /// <summary>Removes the blank values of the header from the request and its content, so that none goes on the wire.</summary>
    public static void RemoveBlankValues(HttpRequestMessage request, string headerName)
    {
        RemoveBlankValues(request.Headers, headerName);
        if (request.Content is { } content)
        {
            RemoveBlankValues(content.Headers, headerName);
        }
    }

    private static int Count(HttpHeaders headers, string headerName, ref string? key)
    {
        if (!headers.NonValidated.TryGetValues(headerName, out var values))
        {
            return 0;
        }

        var count = 0;
        foreach (var value in values)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                key = value;
                count++;
            }
        }

        return count;
    }

    private static void RemoveBlankValues(HttpHeaders headers, string headerName)
    {
        if (!headers.NonValidated.TryGetValues(headerName, out var values))
        {
            return;
        }

        var kept = new List<string>(values.Count);
        foreach (var value in values)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                kept.Add(value);
            }
        }

        if (kept.Count < values.Count)
        {
            headers.Remove(headerName);
            foreach (var value in kept)
            {
                headers.TryAddWithoutValidation(headerName, value);
            }
        }
    }
}
