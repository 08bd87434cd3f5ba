using System.Net.Sockets;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ResiliencePresets.Tests.Classification;

public sealed class TransportFailureTests
{
    // The kinds are internal, so rows name them as text.
    private const string MayHave = nameof(TransportFailureKind.MayHaveReachedServer);
    private const string Never = nameof(TransportFailureKind.NeverReachedServer);
    private const string NotTransient = nameof(TransportFailureKind.NotTransient);

    public static TheoryData<string, Exception, string> Failures => new()
    {
        { "attempt timeout", new TimeoutRejectedException(), MayHave },
        { "open breaker", new BrokenCircuitException(), NotTransient },
        { "isolated breaker", new IsolatedCircuitException(), NotTransient },
        { "DNS failure", new HttpRequestException(HttpRequestError.NameResolutionError), Never },
        { "connect failure", new HttpRequestException(HttpRequestError.ConnectionError), Never },
        { "connection limit", new HttpRequestException(HttpRequestError.ConfigurationLimitExceeded), NotTransient },
        { "authentication", new HttpRequestException(HttpRequestError.UserAuthenticationError), NotTransient },
        { "version negotiation", new HttpRequestException(HttpRequestError.VersionNegotiationError), NotTransient },
        { "TLS failure", new HttpRequestException(HttpRequestError.SecureConnectionError), NotTransient },
        { "refused socket", Wrapped(SocketError.ConnectionRefused), Never },
        { "unknown host socket", Wrapped(SocketError.HostNotFound), Never },
        { "unreachable host socket", Wrapped(SocketError.HostUnreachable), Never },
        { "unreachable network socket", Wrapped(SocketError.NetworkUnreachable), Never },
        { "reset socket", Wrapped(SocketError.ConnectionReset), MayHave },
        { "aborted socket", Wrapped(SocketError.ConnectionAborted), MayHave },
        { "socket timeout", Wrapped(SocketError.TimedOut), MayHave },
        { "refused socket under an I/O error", new HttpRequestException(HttpRequestError.Unknown, "send failed", new IOException("broken", new SocketException((int)SocketError.ConnectionRefused))), MayHave },
        { "response ended", new HttpRequestException(HttpRequestError.ResponseEnded), MayHave },
        { "invalid response", new HttpRequestException(HttpRequestError.InvalidResponse), MayHave },
        { "protocol error", new HttpRequestException(HttpRequestError.HttpProtocolError), MayHave },
        { "proxy tunnel", new HttpRequestException(HttpRequestError.ProxyTunnelError), MayHave },
        { "unknown HTTP error", new HttpRequestException("failed"), MayHave },
        { "caller cancellation", new OperationCanceledException(), NotTransient },
        { "task cancellation", new TaskCanceledException(), NotTransient },
        { "bug in a handler", new InvalidOperationException(), NotTransient },
        { "bare I/O error", new IOException(), NotTransient },
        { "bare socket error", new SocketException((int)SocketError.ConnectionRefused), NotTransient },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Classify_Exception_SaysWhetherItIsTransientAndWhetherTheServerMayHaveSeenTheRequest(string scenario, Exception exception, string expected)
    {
        Assert.True(expected == TransportFailure.Classify(exception).ToString(), $"{scenario}: {TransportFailure.Classify(exception)}");
    }

    private static HttpRequestException Wrapped(SocketError error)
        => new(HttpRequestError.Unknown, "send failed", new SocketException((int)error));
}
