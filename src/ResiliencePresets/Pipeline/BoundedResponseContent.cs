using System.Globalization;
using System.Net;

namespace ResiliencePresets;

/// <summary>
/// Stands in for a response's content so that the buffered read <see cref="HttpClient"/> makes after the handlers
/// (<see cref="HttpCompletionOption.ResponseContentRead"/>) ends at the request's deadline, <c>TotalTimeout</c> plus
/// <see cref="HttpClientTimeoutRule.BodyGrace"/> after the request started, with <see cref="HttpClient"/>'s own
/// exception for a timeout (a <see cref="TaskCanceledException"/> whose inner exception is a
/// <see cref="TimeoutException"/>). HttpClient's read is told from the caller's own reads by its token, the one the
/// handler was given: every other read, a stream included, is the caller's to bound. The content headers are the
/// server's.
/// </summary>
internal sealed class BoundedResponseContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly BodyDeadlines _deadlines;
    private readonly long _deadline;
    private readonly TimeSpan _bound;
    private readonly CancellationToken _clientToken;

    public BoundedResponseContent(HttpContent inner, BodyDeadlines deadlines, long deadline, TimeSpan bound, CancellationToken clientToken)
    {
        _inner = inner;
        _deadlines = deadlines;
        _deadline = deadline;
        _bound = bound;
        _clientToken = clientToken;
        foreach (var (name, values) in inner.Headers.NonValidated)
        {
            Headers.TryAddWithoutValidation(name, values);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (cancellationToken != _clientToken)
        {
            await _inner.CopyToAsync(stream, context, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var read = _deadlines.Start(_deadline, cancellationToken);
        try
        {
            await _inner.CopyToAsync(stream, context, read.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (read.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(e);
        }
    }

    protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        if (cancellationToken != _clientToken)
        {
            _inner.CopyTo(stream, context, cancellationToken);
            return;
        }

        // A synchronous read does not watch its token: the deadline tears the body down, as HttpClient's own timeout does.
        using var read = _deadlines.Start(_deadline, cancellationToken);
        using var teardown = read.Token.UnsafeRegister(static inner => ((HttpContent)inner!).Dispose(), _inner);
        try
        {
            _inner.CopyTo(stream, context, read.Token);
        }
        catch (Exception e) when (read.Expired && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(e);
        }
    }

    protected override Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) => _inner.ReadAsStreamAsync(cancellationToken);

    protected override Task<Stream> CreateContentReadStreamAsync() => _inner.ReadAsStreamAsync();

    protected override Stream CreateContentReadStream(CancellationToken cancellationToken) => _inner.ReadAsStream(cancellationToken);

    // The server's Content-Length, when it sent one, is among the copied headers.
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private TaskCanceledException TimedOut(Exception e)
        => new(string.Create(CultureInfo.InvariantCulture, $"The response body was not read within {_bound.TotalSeconds:0.###} seconds of the request's start (the preset's TotalTimeout plus {HttpClientTimeoutRule.BodyGrace.TotalSeconds:0} s)."), new TimeoutException(e.Message, e));
}
