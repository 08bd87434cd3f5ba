using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ResiliencePresets.Tests.Clients;

/// <summary>
/// A client built the way Azure SDK clients are: an <see cref="HttpPipeline"/> from its options, and a
/// <see cref="RequestFailedException"/> for an error response.
/// </summary>
public sealed class WidgetsClient(Uri endpoint, WidgetsClientOptions options)
{
    private readonly HttpPipeline _pipeline = HttpPipelineBuilder.Build(options);

    public Task<Response> GetAsync(string path, CancellationToken cancellationToken = default)
        => SendAsync(RequestMethod.Get, path, content: null, cancellationToken);

    public Task<Response> PostAsync(string path, RequestContent content, CancellationToken cancellationToken = default)
        => SendAsync(RequestMethod.Post, path, content, cancellationToken);

    private async Task<Response> SendAsync(RequestMethod method, string path, RequestContent? content, CancellationToken cancellationToken)
    {
        using var request = _pipeline.CreateRequest();
        request.Method = method;
        request.Uri.Reset(new Uri(endpoint, path));
        request.Content = content;
        var response = await _pipeline.SendRequestAsync(request, cancellationToken);
        return response.IsError ? throw new RequestFailedException(response) : response;
    }
}
