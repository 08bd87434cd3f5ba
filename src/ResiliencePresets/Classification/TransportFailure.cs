using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ResiliencePresets;

/// <summary>
/// Sorts the exceptions an attempt can end with: worth retrying or not, and whether the server may have seen the request.
/// </summary>
internal static class TransportFailure
{
    public static TransportFailureKind Classify(Exception exception) => exception switch
    {
        // An attempt timeout: the server may be processing the request right now.
        TimeoutRejectedException => TransportFailureKind.MayHaveReachedServer,

        // An open breaker fails fast on purpose; retrying it would defeat it.
        BrokenCircuitException => TransportFailureKind.NotTransient,

        // The server paused the client for longer than the request has left; a retry could only wait out the timeout.
        ClientPausedException => TransportFailureKind.NotTransient,

        HttpRequestException http => http.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError => TransportFailureKind.NeverReachedServer,

            // Limits, authentication, protocol version and TLS failures are configuration problems that a retry repeats.
            HttpRequestError.ConfigurationLimitExceeded or HttpRequestError.UserAuthenticationError
                or HttpRequestError.VersionNegotiationError or HttpRequestError.SecureConnectionError => TransportFailureKind.NotTransient,

            _ when http.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable }
                => TransportFailureKind.NeverReachedServer,

            _ => TransportFailureKind.MayHaveReachedServer,
        },

        // Caller cancellation and everything else (bugs, serialization errors) go back to the caller unchanged.
        _ => TransportFailureKind.NotTransient,
    };
}
