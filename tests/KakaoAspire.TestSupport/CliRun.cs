namespace KakaoAspire.TestSupport;

/// <summary>What one run of the moltbot CLI printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public string All => Out + Error;
}
