using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>The held answers ready to go now (in order), and whether an older one is still being worked on.</summary>
public sealed record HeldCollection(IReadOnlyList<TurnResponse> Ready, bool StillRunning);

/// <summary>Collects a user's held answers in order, stopping at the first one still running so the order is kept.</summary>
public sealed class HeldAnswers(HeldAnswerStore store, TurnAnswers answers)
{
    public async Task<HeldCollection> CollectAsync(KakaoAccountConfig account, string userId, CancellationToken cancellationToken)
    {
        var ready = new List<TurnResponse>();
        foreach (var turnId in await store.ListAsync(account.Id, userId))
        {
            var outcome = await answers.LookAsync(turnId, cancellationToken);
            if (outcome.State == AnswerState.Running)
            {
                return new(ready, StillRunning: true);
            }
            switch (await store.ClaimAsync(account.Id, userId, turnId))
            {
                case HeldClaim.Claimed:
                    ready.Add(outcome.Answer ?? TurnAnswers.Failed(turnId));
                    break;
                case HeldClaim.BeingPosted:
                    // Its callback is out this instant; answers behind it wait so the order is kept.
                    return new(ready, StillRunning: true);
            }
        }
        return new(ready, StillRunning: false);
    }

    public Task HoldAsync(KakaoAccountConfig account, string userId, string turnId) => store.HoldAsync(account.Id, userId, turnId);
}
