using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace ResiliencePresets;

/// <summary>
/// Decides the <see cref="HttpClient.Timeout"/> of a client with a preset. Left alone, the caller's value is kept,
/// 100 seconds included; otherwise it becomes the preset's <c>TotalTimeout</c> plus <see cref="BodyGrace"/>.
/// </summary>
/// <remarks>
/// <para>The preset's total timeout runs inside the handler chain, so it ends when the response headers arrive.
/// <see cref="HttpClient"/> reads a buffered body (<see cref="HttpCompletionOption.ResponseContentRead"/>, the default of
/// <c>GetAsync</c>, <c>PostAsync</c>, <c>GetStringAsync</c> and the JSON helpers) after the handlers, under its own
/// timeout only. Setting that timeout to the total timeout bounds the whole send, body included; the grace lets the
/// preset's own <c>TimeoutRejectedException</c> win the race while the headers are still awaited. A
/// <see cref="HttpCompletionOption.ResponseHeadersRead"/> caller reads the body as a stream after the send: like
/// <see cref="HttpClient.Timeout"/> itself, the preset does not bound that read.</para>
/// <para>Whether the caller set a timeout is tracked, not guessed from the value: the first action the factory runs for
/// the client writes a marker value, and the last action replaces it only if nothing else changed it.</para>
/// </remarks>
internal sealed class HttpClientTimeoutRule(PresetRegistrations registrations, CompiledPresetStore store) : IPostConfigureOptions<HttpClientFactoryOptions>
{
    /// <summary>How much longer than <c>TotalTimeout</c> HttpClient waits before it cancels a buffered body read.</summary>
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
            if (client.Timeout == Unset)
            {
                client.Timeout = store.Get(clientName).Preset.TotalTimeout + BodyGrace;
            }
        });
    }

    private static void MarkUnset(HttpClient client) => client.Timeout = Unset;
}
