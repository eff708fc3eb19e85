using KakaoAspire.Moltbot.Config;
using KakaoAspire.Webhook.Pairing;

namespace KakaoAspire.Webhook.Access;

/// <summary>
/// The account's dmPolicy (docs/moltbot-channel-rules.md#dmpolicy-and-pairing, with the strict-allowlist fix): open lets everyone in; allowlist reads
/// allowFrom only; pairing also reads the approved ids and hands an unknown user one code; disabled lets nobody in.
/// When the account's agents are in OpenClaw behind the Kakao plugin, OpenClaw's pairing store decides for a user we
/// have not approved: approved there means in, else the user gets OpenClaw's code (the one `openclaw pairing list` shows).
/// </summary>
public sealed class AccessGate(PairingStore pairing, OpenClawPairing openClaw, ILogger<AccessGate> logger)
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
                if (await openClaw.AppliesToAsync(account.Id) && await openClaw.RequestAsync(account.Id, user) is { } answer)
                {
                    return await FromOpenClawAsync(account, user, answer);
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

    private async Task<AccessDecision> FromOpenClawAsync(KakaoAccountConfig account, KakaoUserIds user, OpenClawPairingAnswer answer)
    {
        if (answer.Approved)
        {
            // Approved with `openclaw pairing approve kakao`: remembered here, so later messages need not ask again.
            await pairing.ApproveUserAsync(account.Id, user.StableId);
            logger.LogInformation("Let in a sender of account {AccountId} approved in OpenClaw's pairing store", account.Id);
            return AccessDecision.Allow;
        }
        if (answer.Code is not { Length: > 0 } code || !answer.Created)
        {
            logger.LogInformation("Dropped a message for account {AccountId}: the sender is not paired (OpenClaw: code pending or pending list full)", account.Id);
            return AccessDecision.Deny(account.DeniedText);
        }
        // The same code in both stores: `moltbot pairing list` and `openclaw pairing list kakao` show what the user got.
        await pairing.MirrorAsync(account.Id, user.StableId, code);
        logger.LogInformation("Sent OpenClaw's pairing code for account {AccountId}", account.Id);
        return AccessDecision.Deny(SkillTexts.PairingRequest(user.StableId, code, "openclaw"));
    }
}
