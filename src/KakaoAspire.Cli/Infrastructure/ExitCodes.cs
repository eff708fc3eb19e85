namespace KakaoAspire.Cli;

/// <summary>Exit codes a script can rely on (also listed in the README).</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The operation ran and failed (a send failed, a code was not found, a probe failed).</summary>
    public const int Failed = 1;
    /// <summary>Bad arguments or an invalid config: nothing was attempted.</summary>
    public const int InvalidInput = 2;
    /// <summary>The gateway (the running app) could not be reached.</summary>
    public const int GatewayUnreachable = 3;
}
