using Microsoft.AspNetCore.Builder;

namespace KakaoAspire.TestSupport;

/// <summary>
/// The start-up every fake server shares: a quiet Kestrel on a free loopback port (<see cref="LoopbackApp"/>), its
/// routes mapped by the fake's constructor on <see cref="App"/>, its address known once started, stopped on dispose.
/// </summary>
public abstract class LoopbackServer : IAsyncDisposable
{
    protected LoopbackServer() => App = LoopbackApp.CreateBuilder().Build();

    protected WebApplication App { get; }

    /// <summary>The started server's address, e.g. <c>http://127.0.0.1:41234</c> (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Starts listening; afterwards <see cref="BaseUrl"/> is known.</summary>
    protected async Task ListenAsync()
    {
        await App.StartAsync();
        BaseUrl = LoopbackApp.Address(App);
    }

    public virtual async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
