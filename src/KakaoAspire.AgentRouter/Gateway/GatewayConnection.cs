namespace KakaoAspire.AgentRouter.Gateway;

/// <summary>
/// Keeps one authenticated connection to one gateway URL. After a drop it reconnects at once (a run in flight waits
/// for that to recover its answer); after a failed attempt it backs off 1 s doubling to a cap, and a turn that needs
/// the gateway meanwhile cuts the wait short, so it gets a fresh attempt's outcome rather than a stale one.
/// </summary>
internal sealed class GatewayConnection : IAsyncDisposable
{
    private static readonly TimeSpan MinimumDelay = TimeSpan.FromSeconds(1);
    // A connection that closes this soon after opening is not trusted to stay up: the next try backs off.
    private static readonly TimeSpan StableAfter = TimeSpan.FromSeconds(2);

    private readonly Uri _url;
    private readonly GatewayCredentials _credentials;
    private readonly GatewayClientOptions _options;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource<GatewaySession> _next = NewAttempt();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private GatewaySession? _current;
    private Task? _loop;
    private int _disposed;

    public GatewayConnection(Uri url, GatewayCredentials credentials, GatewayClientOptions options, ILogger logger)
    {
        (_url, _credentials, _options, _logger) = (url, credentials, options, logger);
        // Only scheme, host and port reach a log line: nothing the user might have put in a query does.
        Display = $"{url.Scheme}://{url.Authority}";
    }

    public string Display { get; }

    public void Start()
    {
        lock (_gate)
        {
            _loop ??= Task.Run(RunAsync);
        }
    }

    /// <summary>The open session, or the outcome of the next connection attempt (<see cref="MoltbotGatewayException"/>).</summary>
    public Task<GatewaySession> GetSessionAsync(CancellationToken cancellationToken)
    {
        Task<GatewaySession> next;
        lock (_gate)
        {
            _loop ??= Task.Run(RunAsync);
            if (_current is { IsOpen: true } open)
            {
                return Task.FromResult(open);
            }
            next = _next.Task;
            _wake.TrySetResult();
        }
        return next.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var delay = MinimumDelay;
        DateTimeOffset? startingSince = null;
        while (!_stop.IsCancellationRequested)
        {
            GatewaySession session;
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                attempt.CancelAfter(_options.HandshakeTimeout);
                try
                {
                    session = await GatewaySession.OpenAsync(_url, Display, _credentials, _options, _logger, attempt.Token);
                }
                catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                {
                    throw new MoltbotGatewayException(GatewayFailureCause.Unreachable,
                        $"no handshake answer from {Display} within {_options.HandshakeTimeout.TotalSeconds:0.#} s");
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (MoltbotGatewayException ex) when (ex.Cause == GatewayFailureCause.Starting
                && DateTimeOffset.UtcNow - (startingSince ??= DateTimeOffset.UtcNow) < _options.StartupWait)
            {
                // The gateway refuses connects for a moment after it starts listening (UNAVAILABLE, close 1013). Not a
                // failure: a turn waiting for the connection keeps waiting, within its own budget.
                var retry = ex.RetryAfter is { } after && after > TimeSpan.Zero ? Min(after, MinimumDelay * 5) : TimeSpan.FromMilliseconds(500);
                _logger.LogInformation("Moltbot gateway {Gateway} is still starting ({Detail}); retrying in {RetryMs} ms", Display, ex.Detail, (int)retry.TotalMilliseconds);
                try
                {
                    await Task.Delay(retry, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                continue;
            }
            catch (MoltbotGatewayException ex)
            {
                startingSince = null;
                _logger.LogWarning("Moltbot gateway {Gateway}: connect failed, cause {Cause}: {Detail}; next try in {DelaySeconds} s or at the next turn",
                    Display, ex.CauseText(), ex.Detail, delay.TotalSeconds);
                Fail(ex);
                await BackOffAsync(delay);
                delay = Min(delay * 2, _options.ReconnectMaxDelay);
                continue;
            }

            startingSince = null;
            _logger.LogInformation("Connected to Moltbot gateway {Gateway} (server {ServerVersion}, protocol {Protocol} negotiated within {MinProtocol}-{MaxProtocol}, auth {AuthMethod}, scopes {Scopes})",
                Display, session.ServerVersion ?? "unknown", session.Protocol, GatewayHandshake.MinProtocol, GatewayHandshake.MaxProtocol,
                session.AuthMethod ?? "token", session.Scopes is { } scopes ? string.Join(",", scopes) : "(not reported)");
            var openedAt = DateTimeOffset.UtcNow;
            Publish(session);
            string close;
            try
            {
                close = await session.Closed.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException)
            {
                await session.DisposeAsync();
                break;
            }
            lock (_gate)
            {
                _current = null;
            }
            await session.DisposeAsync();
            _logger.LogWarning("Moltbot gateway {Gateway}: connection closed ({Close}); reconnecting", Display, close);
            if (DateTimeOffset.UtcNow - openedAt < StableAfter)
            {
                await BackOffAsync(delay);
                delay = Min(delay * 2, _options.ReconnectMaxDelay);
            }
            else
            {
                delay = MinimumDelay;
            }
        }
    }

    private void Publish(GatewaySession session)
    {
        lock (_gate)
        {
            _current = session;
            _next.TrySetResult(session);
            _next = NewAttempt();
        }
    }

    private void Fail(MoltbotGatewayException failure)
    {
        lock (_gate)
        {
            _next.TrySetException(failure);
            _next = NewAttempt();
            _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    private async Task BackOffAsync(TimeSpan delay)
    {
        Task wake;
        lock (_gate)
        {
            wake = _wake.Task;
        }
        try
        {
            // Even a waiting turn gets at most one attempt per quarter second.
            await Task.Delay(TimeSpan.FromMilliseconds(250), _stop.Token);
            await Task.WhenAny(wake, Task.Delay(delay, _stop.Token));
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static TaskCompletionSource<GatewaySession> NewAttempt()
    {
        var attempt = new TaskCompletionSource<GatewaySession>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Nobody may be waiting for a failed attempt; its exception is observed here so it is not reported as lost.
        attempt.Task.ContinueWith(t => _ = t.Exception, CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return attempt;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public async ValueTask DisposeAsync()
    {
        // The host stops it and the container disposes it; only the first does the work.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        await _stop.CancelAsync();
        if (_loop is not null)
        {
            await _loop;
        }
        _stop.Dispose();
    }
}
