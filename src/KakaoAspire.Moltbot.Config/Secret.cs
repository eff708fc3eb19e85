namespace KakaoAspire.Moltbot.Config;

// ToString of config records goes to logs and test output; a secret must never be printed.
internal static class Secret
{
    public static string Mask(string? value) => string.IsNullOrEmpty(value) ? "(none)" : "***";
}
