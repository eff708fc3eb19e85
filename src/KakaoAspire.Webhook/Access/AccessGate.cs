using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Pairing;

namespace KakaoAspire.Webhook.Access;

/// <summary>
/// The account's dmPolicy (docs/moltbot-channel-rules.md#dmpolicy-and-pairing, with the strict-allowlist fix): open lets everyone in; allowlist reads
/// allowFrom only; pairing also reads the approved ids and hands an unknown user one code; disabled lets nobody in.
/// </summary>
public sealed class AccessGate(PairingStore pairing, ILogger<AccessGate> logger)
{
    public async Task<AccessDecision> CheckAsync(KakaoAccountConfig account, KakaoUserIds user)
    {
        switch (account.DmPolicy)
        {
            case DmPolicy.Open:
                return AccessDecision.Allow;
            case DmPolicy.Disabled:
                logger.LogInformation("Dropped a message for account {AccountId}: dmPolicy is disabled", account.Id);
                return AccessDecision.Deny(account.DeniedText);
            case DmPolicy.Allowlist:
                if (AllowFromMatcher.IsAllowed(account.AllowFrom, user))
                {
                    return AccessDecision.Allow;
                }
                logger.LogInformation("Dropped a message for account {AccountId}: the sender is not in allowFrom", account.Id);
                return AccessDecision.Deny(account.DeniedText);
            default:
                if (AllowFromMatcher.IsAllowed(account.AllowFrom, user) || await pairing.IsApprovedAsync(account.Id, user))
                {
                    return AccessDecision.Allow;
                }
                var code = await pairing.RequestAsync(account.Id, user.StableId);
                if (code is null)
                {
                    logger.LogInformation("Dropped a message for account {AccountId}: the sender is not paired (code pending or pending list full)", account.Id);
                    return AccessDecision.Deny(account.DeniedText);
                }
                logger.LogInformation("Sent a pairing code for account {AccountId}", account.Id);
                return AccessDecision.Deny(SkillTexts.PairingRequest(user.StableId, code));
        }
    }
}
