using Polly.Timeout;

namespace ResiliencePresets.Tests.Telemetry;

public sealed class ErrorTypeTests
{
    public static TheoryData<Exception, string> Failures => new()
    {
        { new TimeoutRejectedException(), "timeout" },
        { new HttpRequestException(HttpRequestError.ConnectionError), "connection_error" },
        { new HttpRequestException(HttpRequestError.NameResolutionError), "name_resolution_error" },
        { new HttpRequestException(HttpRequestError.SecureConnectionError), "secure_connection_error" },
        { new HttpRequestException(HttpRequestError.ResponseEnded), "response_ended" },
        { new HttpRequestException("no error code"), "System.Net.Http.HttpRequestException" },
        { new IOException("reset"), "System.IO.IOException" },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Of_NamesTheFailureAsHttpClientsOwnMetricsDo(Exception failure, string expected)
        => Assert.Equal(expected, ErrorType.Of(failure));
}
