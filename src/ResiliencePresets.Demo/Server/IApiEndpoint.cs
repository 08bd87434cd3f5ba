using WireMock;

namespace ResiliencePresets.Demo.Server;

/// <summary>
/// One route of the embedded API.
/// </summary>
internal interface IApiEndpoint
{
    string Method { get; }

    string Path { get; }

    ResponseMessage Respond(EndpointCall call);
}
