using System.Diagnostics;
using System.Diagnostics.Metrics;
using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.FriendTalk.Queue;

namespace KakaoAspire.FriendTalk.Metrics;

/// <summary>
/// The outbound sender as the dashboard shows it: messages accepted, sent (the provider took them), delivered
/// (KakaoTalk confirmed) and failed, by provider; the queue's depth and the age of its oldest waiting message; today's
/// use of each account's dailyCap. The gauges read the latest <see cref="QueueMonitor"/> sample, never Redis directly.
/// </summary>
public sealed class FriendTalkMetrics
{
    public const string MeterName = "KakaoAspire.FriendTalk";

    public const string AccountTag = "kakao.account_id";
    public const string ProviderTag = "kakao.outbound.provider";
    public const string StateTag = "kakao.outbound.state";
    public const string QueueStateTag = "kakao.outbound.queue.state";

    private readonly Counter<long> _messages;
    private volatile QueueReport? _latest;

    public FriendTalkMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        var meter = meterFactory.Create(MeterName);
        _messages = meter.CreateCounter<long>("kakao.outbound.messages", "{message}",
            "Outbound messages by state reached: accepted (queued), sent (the provider took it), delivered (KakaoTalk confirmed), failed.");
        meter.CreateObservableGauge("kakao.outbound.queue.depth", () => Depth(), "{message}",
            "Messages in the queue: ready to send, in a batch being sent or retried, or scheduled for later.");
        meter.CreateObservableGauge("kakao.outbound.queue.oldest_age", () => OldestAge(time.GetUtcNow()), "s",
            "How long the oldest message that should be on its way (ready or being sent) has waited since it was accepted.");
        meter.CreateObservableGauge("kakao.outbound.daily_cap.used", () => Cap(a => a.CapUsed), "{message}",
            "Messages accepted today (KST) against the account's outbound.dailyCap.");
        meter.CreateObservableGauge("kakao.outbound.daily_cap.limit", () => Cap(a => a.CapLimit), "{message}",
            "The account's outbound.dailyCap.");
    }

    public void Accepted(string accountId, ProviderKind provider) => Count(accountId, provider, "accepted");

    public void Sent(string accountId, ProviderKind provider) => Count(accountId, provider, "sent");

    public void Delivered(string accountId, ProviderKind provider) => Count(accountId, provider, "delivered");

    public void Failed(string accountId, ProviderKind provider) => Count(accountId, provider, "failed");

    /// <summary>A batch's end as written: its sent and failed messages (<see cref="BatchCommit.Stats"/>).</summary>
    public void Committed(BatchCommit commit, ProviderKind provider)
    {
        foreach (var (accountId, counter, _, _) in commit.Stats)
        {
            Count(accountId, provider, counter);
        }
    }

    /// <summary>The queue sample the gauges report until the next one.</summary>
    public void Observe(QueueReport report) => _latest = report;

    private void Count(string accountId, ProviderKind provider, string state) =>
        _messages.Add(1, new TagList { { AccountTag, accountId }, { ProviderTag, provider.Name() }, { StateTag, state } });

    private IEnumerable<Measurement<long>> Depth()
    {
        foreach (var account in _latest?.Accounts ?? [])
        {
            yield return new(account.Ready, new KeyValuePair<string, object?>(AccountTag, account.AccountId), new(QueueStateTag, "ready"));
            yield return new(account.Sending, new KeyValuePair<string, object?>(AccountTag, account.AccountId), new(QueueStateTag, "sending"));
            yield return new(account.Scheduled, new KeyValuePair<string, object?>(AccountTag, account.AccountId), new(QueueStateTag, "scheduled"));
        }
    }

    private IEnumerable<Measurement<double>> OldestAge(DateTimeOffset now)
    {
        foreach (var account in _latest?.Accounts ?? [])
        {
            var age = account.OldestWaitingSince is { } since ? Math.Max(0, (now - since).TotalSeconds) : 0;
            yield return new(age, new KeyValuePair<string, object?>(AccountTag, account.AccountId));
        }
    }

    private IEnumerable<Measurement<long>> Cap(Func<AccountQueue, long> value)
    {
        foreach (var account in _latest?.Accounts ?? [])
        {
            yield return new(value(account), new KeyValuePair<string, object?>(AccountTag, account.AccountId));
        }
    }
}
