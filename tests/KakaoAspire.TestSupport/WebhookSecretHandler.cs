using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.TestSupport;

/// <summary>
/// Adds the account's webhook secret to every skill request, as Open Builder does once the skill's header is set up.
/// A request that already carries the header keeps its own (the tests of a wrong secret).
/// </summary>
public sealed class WebhookSecretHandler(Func<string, string?> secretForPath, HttpMessageHandler? inner = null)
    : DelegatingHandler(inner ?? new SocketsHttpHandler())
{
    public const string Header = KakaoAccountConfig.DefaultWebhookSecretHeader;

    /// <summary>The secret the app generated for an account into its state folder.</summary>
    public static string Generated(string stateDirectory, string accountId) =>
        File.ReadAllText(WebhookSecretStore.FilePath(Path.Combine(stateDirectory, "kakao"), accountId)).Trim();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method == HttpMethod.Post && !request.Headers.Contains(Header)
            && request.RequestUri is { } uri && secretForPath(uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString) is { } secret)
        {
            request.Headers.Add(Header, secret);
        }
        return base.SendAsync(request, cancellationToken);
    }
}
