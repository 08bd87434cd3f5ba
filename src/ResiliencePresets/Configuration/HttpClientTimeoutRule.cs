using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace ResiliencePresets;

/// <summary>
/// Decides the <see cref="HttpClient.Timeout"/> of a client with a preset, and so who bounds a body that stalls after
/// the headers. Left alone, the timeout is turned off (as <c>AddStandardResilienceHandler()</c> does) and the preset
/// bounds the body instead, at <c>TotalTimeout</c> plus <see cref="BodyGrace"/> (<see cref="ResponseBodyBound"/>), with
/// no timer per request. A timeout the caller set, 100 seconds included, is kept, and it bounds the body instead.
/// </summary>
/// <remarks>
/// <para>The preset's total timeout runs inside the handler chain, so it ends when the response headers arrive.
/// <see cref="HttpClient"/> reads a buffered body (<see cref="HttpCompletionOption.ResponseContentRead"/>, the default of
/// <c>GetAsync</c>, <c>PostAsync</c>, <c>GetStringAsync</c> and the JSON helpers) after the handlers; the preset's handler
/// bounds that read. <see cref="HttpClient.Timeout"/> would bound it too, at the price of a timer and a linked
/// cancellation source per request. The grace lets the preset's own <c>TimeoutRejectedException</c> win while the
/// headers are still awaited. A <see cref="HttpCompletionOption.ResponseHeadersRead"/> caller reads the body as a stream
/// after the send: like <see cref="HttpClient.Timeout"/> itself, the preset does not bound that read.</para>
/// <para>Whether the caller set a timeout is tracked, not guessed from the value: the first action the factory runs for
/// the client writes a marker value, and the last action replaces it only if nothing else changed it. A timeout set
/// after the factory's actions (in a typed client's constructor) cannot be seen: it then applies on top of the
/// preset's bound.</para>
/// </remarks>
internal sealed class HttpClientTimeoutRule(PresetRegistrations registrations, ClientRuntimeRegistry clients) : IPostConfigureOptions<HttpClientFactoryOptions>
{
    /// <summary>How much longer than <c>TotalTimeout</c> a buffered body read may take, counted from the request's start.</summary>
    public static readonly TimeSpan BodyGrace = TimeSpan.FromSeconds(1);

    // A value no caller writes by hand: one tick short of HttpClient's 100-second default.
    private static readonly TimeSpan Unset = TimeSpan.FromTicks(TimeSpan.FromSeconds(100).Ticks - 1);

    public void PostConfigure(string? name, HttpClientFactoryOptions options)
    {
        var clientName = name ?? Options.DefaultName;
        if (registrations.For(clientName) is null || options.HttpClientActions.Contains(MarkUnset))
        {
            return;
        }

        options.HttpClientActions.Insert(0, MarkUnset);
        options.HttpClientActions.Add(client =>
        {
            var setByCaller = client.Timeout != Unset;
            clients.For(clientName).TimeoutSetByCaller = setByCaller;
            if (!setByCaller)
            {
                client.Timeout = Timeout.InfiniteTimeSpan;
            }
        });
    }

    private static void MarkUnset(HttpClient client) => client.Timeout = Unset;
}
