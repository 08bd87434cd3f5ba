using WireMock;

namespace ResiliencePresets.Demo.Server;

/// <summary>
/// A GitHub-style read of a repository that does not exist: always 404, which no retry can change.
/// </summary>
internal sealed class MissingRepositoryEndpoint : IApiEndpoint
{
    public string Method => "GET";

    public string Path => "/repos/acme/gadgets";

    public ResponseMessage Respond(EndpointCall call)
        => Responses.Json(404, """{"message":"Not Found","documentation_url":"https://docs.github.com/rest/repos/repos#get-a-repository"}""");
}
