using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ResiliencePresets.Tests.TestSupport;

/// <summary>
/// An HTTP/1.1 server on Kestrel, on loopback, that records every request it receives (method, headers as they came
/// over the wire, body bytes) and answers each path with a script of <see cref="ServerAnswer"/>s, in order, the last
/// one repeating. One server serves a whole test class: each test uses a path of its own.
/// </summary>
public sealed class RecordingServer : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<RecordedRequest>> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, PathScript> _scripts = new(StringComparer.Ordinal);
    private WebApplication? _app;

    public string Url => _app!.Urls.Single();

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();

        // One request through a preset with its default timeouts first, so that the server and the pipeline are
        // compiled before a test gives an attempt a few hundred milliseconds.
        using var warm = PresetClient.Create(ResiliencePresetNames.IdempotentWrite, Url, o => o.Hedging.Enabled = true);
        (await warm.Client.GetAsync("/warm")).Dispose();
        (await warm.Client.PostAsync("/warm", new StringContent("{}"))).Dispose();
    }

    /// <summary>
    /// Opens a connection of <paramref name="client"/> to the server with one answered GET, so that a test's first attempt
    /// does not pay for it. A client whose attempt timeout is a few hundred milliseconds may time out on a cold start
    /// itself, so a timed-out warm-up is tried again, up to five times.
    /// </summary>
    public static async Task WarmAsync(HttpClient client)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                (await client.GetAsync("/warm")).Dispose();
                return;
            }
            catch (Polly.Timeout.TimeoutRejectedException) when (tries < 5)
            {
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }

    /// <summary>Answers <paramref name="path"/> with <paramref name="answers"/> in order; the last repeats.</summary>
    public string Script(string path, params ServerAnswer[] answers)
    {
        _scripts[path] = new PathScript(answers);
        return path;
    }

    /// <summary>The requests received on <paramref name="path"/>, in the order they arrived.</summary>
    public IReadOnlyList<RecordedRequest> Requests(string path)
        => _requests.TryGetValue(path, out var requests) ? requests.ToList() : [];

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        var answer = _scripts.TryGetValue(path, out var script) ? script.Next() : ServerAnswer.Ok;
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.Select(v => v ?? string.Empty).ToArray(), StringComparer.OrdinalIgnoreCase);
        if (answer.Kind == ServerAnswerKind.ResetBeforeBody)
        {
            Record(path, new RecordedRequest(context.Request.Method, headers, Body: null));
            context.Abort();
            return;
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        Record(path, new RecordedRequest(context.Request.Method, headers, body.ToArray()));
        switch (answer.Kind)
        {
            case ServerAnswerKind.ResetAfterBody:
                context.Abort();
                return;
            case ServerAnswerKind.Stall:
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
        }

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers)
        {
            context.Response.Headers.Append(name, value);
        }
    }

    private void Record(string path, RecordedRequest request) => _requests.GetOrAdd(path, _ => new()).Enqueue(request);

    private sealed class PathScript(ServerAnswer[] answers)
    {
        private int _next = -1;

        public ServerAnswer Next() => answers[Math.Min(Interlocked.Increment(ref _next), answers.Length - 1)];
    }
}

/// <summary>One request as <see cref="RecordingServer"/> received it; <see cref="Body"/> is null when it was not read.</summary>
public sealed record RecordedRequest(string Method, IReadOnlyDictionary<string, string[]> Headers, byte[]? Body)
{
    /// <summary>The values of a header, one per line as they went over the wire; empty when absent.</summary>
    public IReadOnlyList<string> Header(string name) => Headers.TryGetValue(name, out var values) ? values : [];
}

/// <summary>What <see cref="RecordingServer"/> does with one request.</summary>
public enum ServerAnswerKind
{
    /// <summary>Reads the body, then answers with a status.</summary>
    Respond,

    /// <summary>Resets the connection before reading the body.</summary>
    ResetBeforeBody,

    /// <summary>Reads the whole body, then resets the connection before any response byte.</summary>
    ResetAfterBody,

    /// <summary>Reads the whole body and never answers, until the client gives up.</summary>
    Stall,
}

/// <summary>One answer of a <see cref="RecordingServer"/> script.</summary>
public sealed record ServerAnswer(ServerAnswerKind Kind, int Status = 200, params (string Name, string Value)[] Headers)
{
    public static ServerAnswer Ok { get; } = new(ServerAnswerKind.Respond);

    public static ServerAnswer ResetBeforeBody { get; } = new(ServerAnswerKind.ResetBeforeBody);

    public static ServerAnswer ResetAfterBody { get; } = new(ServerAnswerKind.ResetAfterBody);

    public static ServerAnswer Stall { get; } = new(ServerAnswerKind.Stall);

    public static ServerAnswer WithStatus(int status, params (string Name, string Value)[] headers) => new(ServerAnswerKind.Respond, status, headers);
}
