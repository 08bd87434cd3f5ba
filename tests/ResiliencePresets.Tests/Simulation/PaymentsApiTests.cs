using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using ResiliencePresets.Simulation.Clients;
using ResiliencePresets.Simulation.Limiters;
using ResiliencePresets.Simulation.Scenarios;
using ResiliencePresets.Simulation.Server;

namespace ResiliencePresets.Tests.Simulation;

/// <summary>
/// The simulation's payments API counts charges as a payment API keeps idempotency keys: a key repeated with the same
/// body is not charged again, with another body it is refused, and a lost answer still charged. So the payments
/// scenario's "charged twice" is the API's verdict, and it can fail.
/// </summary>
public sealed class PaymentsApiTests
{
    [Fact]
    public async Task PaymentsApi_KeyRepeated_ChargesOnceAndRefusesAnotherBody()
    {
        await using var api = await PaymentsApi.StartAsync(rate: 100, RetryAfterWriting.RoundedUp, lostAnswers: 0);
        using var client = new HttpClient { BaseAddress = api.BaseAddress };

        Assert.Equal(HttpStatusCode.Created, await PostAsync(client, PaymentsApi.Body(1), "key-1"));
        Assert.Equal(HttpStatusCode.Created, await PostAsync(client, PaymentsApi.Body(1), "key-1"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await PostAsync(client, PaymentsApi.Body(2), "key-1"));
        Assert.Equal(HttpStatusCode.Created, await PostAsync(client, PaymentsApi.Body(1), key: null));

        Assert.Equal(2, api.Charges["p-1"]);
        Assert.False(api.Charges.ContainsKey("p-2"));
        Assert.Equal(1, api.Conflicts);
    }

    [Fact]
    public async Task PaymentsApi_LostAnswer_ChargedButTheCallerSeesAFailure()
    {
        await using var api = await PaymentsApi.StartAsync(rate: 100, RetryAfterWriting.RoundedUp, lostAnswers: 1);
        using var client = new HttpClient { BaseAddress = api.BaseAddress };

        await Assert.ThrowsAsync<HttpRequestException>(() => PostAsync(client, PaymentsApi.Body(3), "key-3"));

        Assert.Equal(1, api.Charges["p-3"]);
        Assert.Equal(1, api.LostAnswers);
    }

    [Fact]
    public async Task PaymentsScenario_LostAnswers_TheHandWrittenLoopChargesTwiceAndThePresetNever()
    {
        var settings = new PaymentsSettings { Workers = 4, Payments = 20, Rate = 1000, LostAnswers = 0.3 };

        var loop = await PaymentsScenario.RunAsync(RetryAfterWriting.RoundedUp, new ClientSetup("loop", b => b.AddHttpMessageHandler(() => new RetryLoopHandler(3, _ => TimeSpan.Zero))), settings);
        var preset = await PaymentsScenario.RunAsync(RetryAfterWriting.RoundedUp, PaymentsScenario.Setups(settings.Rate)[2], settings);

        Assert.True(loop.ChargedMoreThanOnce > 0, $"{loop}");
        Assert.Equal(0, preset.ChargedMoreThanOnce);
        Assert.Equal(0, preset.Conflicts);
        Assert.True(preset.LostAnswers > 0, $"{preset}");
        Assert.Equal(settings.Payments, preset.ChargedOnce + preset.FailedToCallers - preset.FailedButCharged);
    }

    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PaymentsApi.Path.TrimStart('/')) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
