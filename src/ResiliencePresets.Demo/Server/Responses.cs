using System.Globalization;
using WireMock;
using WireMock.Types;
using WireMock.Util;

namespace ResiliencePresets.Demo.Server;

/// <summary>
/// Builds the embedded API's responses: a JSON body and headers.
/// </summary>
internal static class Responses
{
    public static ResponseMessage Json(int statusCode, string body, params (string Name, string Value)[] headers)
    {
        var response = new ResponseMessage
        {
            StatusCode = statusCode,
            BodyData = new BodyData { BodyAsString = body, DetectedBodyType = BodyType.String, Encoding = System.Text.Encoding.UTF8 },
        };
        response.AddHeader("Content-Type", "application/json");
        foreach (var (name, value) in headers)
        {
            response.AddHeader(name, value);
        }

        return response;
    }

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
