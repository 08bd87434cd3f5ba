namespace ResiliencePresets.Tests.Clients;

/// <summary>The typed client of the plain typed-client recipe: it takes its <see cref="HttpClient"/> from the factory.</summary>
public sealed class OrdersClient(HttpClient http)
{
    public async Task<string> GetOrderAsync(string id, CancellationToken cancellationToken = default)
    {
        using var response = await http.GetAsync(new Uri($"/orders/{id}", UriKind.Relative), cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }

    public async Task PlaceOrderAsync(Stream body, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsync(new Uri("/orders", UriKind.Relative), new StreamContent(body), cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}
