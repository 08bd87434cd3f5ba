namespace ResiliencePresets;

/// <summary>
/// Decides which of a client's responses get their body bounded (<see cref="BoundedResponseContent"/>): every response
/// whose body may still have to come over the wire, unless the caller set <see cref="HttpClient.Timeout"/>, which then
/// bounds it instead (<see cref="HttpClientTimeoutRule"/>). A body already in memory, an empty one and the answer to a
/// HEAD cannot stall, and are left as they are. Lifetime: one per handler chain of a client.
/// </summary>
internal sealed class ResponseBodyBound(ClientRuntime client, BodyDeadlines deadlines)
{
    // The runtime's own content of a response no handler gave a body: nothing to read, known without computing a length.
    private static readonly Type EmptyContentType = new HttpResponseMessage().Content.GetType();

    public BodyDeadlines Deadlines => deadlines;

    /// <summary>Returns whether a send with <paramref name="token"/> may need its body bounded: a send from <see cref="HttpClient"/> (whose token can be canceled) by a client whose timeout is the preset's.</summary>
    public bool Applies(CancellationToken token) => token.CanBeCanceled && !client.TimeoutSetByCaller;

    /// <summary>Returns the timestamp a request's deadline counts from.</summary>
    public long Start() => deadlines.TimeProvider.GetTimestamp();

    /// <summary>Returns the deadline, as a timestamp, of a request that started at <paramref name="start"/>, and the bound it is.</summary>
    public (long Deadline, TimeSpan Bound) DeadlineOf(long start)
    {
        var bound = client.TotalTimeout + HttpClientTimeoutRule.BodyGrace;
        return (start + (long)(bound.TotalSeconds * deadlines.TimeProvider.TimestampFrequency), bound);
    }

    /// <summary>Bounds the body of <paramref name="response"/> when it may stall, for the read made with <paramref name="token"/>.</summary>
    public void Apply(HttpRequestMessage request, HttpResponseMessage response, long start, CancellationToken token)
    {
        var content = response.Content;
        if (content.GetType() == EmptyContentType || content is ByteArrayContent or ReadOnlyMemoryContent or BoundedResponseContent || request.Method == HttpMethod.Head || content.Headers.ContentLength == 0)
        {
            return;
        }

        var (deadline, bound) = DeadlineOf(start);
        response.Content = new BoundedResponseContent(content, deadlines, deadline, bound, token);
    }
}
