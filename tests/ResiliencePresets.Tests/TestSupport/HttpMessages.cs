namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// Builds requests and responses in memory for the unit tests of pure decisions; nothing here touches a network.
/// </summary>
public static class HttpMessages
{
    /// <summary>A response with <paramref name="status"/> and the given headers, added without validation as a server sends them.</summary>
    public static HttpResponseMessage Response(int status, params (string Name, string Value)[] headers)
    {
        var response = new HttpResponseMessage((System.Net.HttpStatusCode)status);
        foreach (var (name, value) in headers)
        {
            Assert.True(response.Headers.TryAddWithoutValidation(name, value), $"The test could not add the header {name}.");
        }

        return response;
    }

    /// <summary>A request to <c>https://api.test/resource</c> with the given headers.</summary>
    public static HttpRequestMessage Request(string method, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), "https://api.test/resource");
        foreach (var (name, value) in headers)
        {
            Assert.True(request.Headers.TryAddWithoutValidation(name, value), $"The test could not add the header {name}.");
        }

        return request;
    }
}
