using System.Globalization;
using KakaoAspire.FriendTalk.Sending;
using KakaoAspire.Moltbot.Config;
using StackExchange.Redis;

namespace KakaoAspire.FriendTalk.Queue;

/// <summary>
/// Reads the queue's shape per account without changing it: ready lists (oldest at the tail), leased batches, the
/// delayed set, the daily cap counter and the last failure. Every read is a plain read, so it is safe beside the sender.
/// </summary>
public sealed class QueueInspector(IConnectionMultiplexer redis, MoltbotConfig config)
{
    // The delayed set can hold a night's worth of messages; past this many the scheduled count is a lower bound.
    private const int MaxScheduledInspected = 10_000;

    public async Task<QueueReport> ReadAsync(DateTimeOffset now)
    {
        var db = redis.GetDatabase();
        var ready = new Dictionary<string, long>();
        var sending = new Dictionary<string, long>();
        var scheduled = new Dictionary<string, long>();
        var candidates = new Dictionary<string, List<string>>();

        foreach (var group in (await db.SetMembersAsync(FriendTalkRedisKeys.OutboundGroups)).Select(g => g.ToString()))
        {
            var account = AccountOf(group);
            var length = db.ListLengthAsync(FriendTalkRedisKeys.OutboundReady(group));
            var oldest = db.ListGetByIndexAsync(FriendTalkRedisKeys.OutboundReady(group), -1);
            ready[account] = ready.GetValueOrDefault(account) + await length;
            if (!(await oldest).IsNullOrEmpty)
            {
                Candidates(candidates, account).Add((await oldest)!);
            }
        }

        var batches = await db.SortedSetRangeByRankAsync(FriendTalkRedisKeys.OutboundLeases);
        var batchFields = await Task.WhenAll(batches.Select(b => db.HashGetAsync(FriendTalkRedisKeys.OutboundBatch(b!), ["group", "ids"])));
        foreach (var fields in batchFields)
        {
            if (fields[0].IsNullOrEmpty || fields[1].IsNullOrEmpty)
            {
                continue;
            }
            var account = AccountOf(fields[0]!);
            var ids = fields[1].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
            sending[account] = sending.GetValueOrDefault(account) + ids.Length;
            if (ids.Length > 0)
            {
                // A claim pops the oldest first, so a batch's first id is its oldest message.
                Candidates(candidates, account).Add(ids[0]);
            }
        }

        var delayed = await db.SortedSetRangeByRankAsync(FriendTalkRedisKeys.OutboundDelayed, 0, MaxScheduledInspected - 1);
        var delayedAccounts = await Task.WhenAll(delayed.Select(id => db.HashGetAsync(FriendTalkRedisKeys.OutboundMessage(id!), "accountId")));
        foreach (var account in delayedAccounts.Where(a => !a.IsNullOrEmpty))
        {
            scheduled[account!] = scheduled.GetValueOrDefault(account!) + 1;
        }

        var day = Kst.Day(now);
        var accounts = new List<AccountQueue>();
        foreach (var account in config.Kakao.Accounts)
        {
            var cap = db.StringGetAsync(FriendTalkRedisKeys.OutboundDailyCount(account.Id, day));
            var stats = db.HashGetAsync(FriendTalkRedisKeys.OutboundStats(account.Id), ["lastError", "lastFailedAt"]);
            var (oldestId, oldestSince) = await OldestAsync(db, candidates.GetValueOrDefault(account.Id) ?? []);
            var failure = await stats;
            accounts.Add(new AccountQueue(account.Id, ready.GetValueOrDefault(account.Id), sending.GetValueOrDefault(account.Id),
                scheduled.GetValueOrDefault(account.Id), oldestId, oldestSince,
                long.TryParse((string?)await cap, CultureInfo.InvariantCulture, out var used) ? used : 0, account.Outbound.DailyCap,
                (string?)failure[0], (string?)failure[1]));
        }
        return new QueueReport(now, accounts);
    }

    private static async Task<(string? Id, DateTimeOffset? Since)> OldestAsync(IDatabase db, List<string> ids)
    {
        var accepted = await Task.WhenAll(ids.Select(id => db.HashGetAsync(FriendTalkRedisKeys.OutboundMessage(id), "acceptedAt")));
        (string? Id, DateTimeOffset? Since) oldest = (null, null);
        for (var i = 0; i < ids.Count; i++)
        {
            if (DateTimeOffset.TryParse(accepted[i], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                && (oldest.Since is null || at < oldest.Since))
            {
                oldest = (ids[i], at);
            }
        }
        return oldest;
    }

    private static List<string> Candidates(Dictionary<string, List<string>> candidates, string account) =>
        candidates.TryGetValue(account, out var list) ? list : candidates[account] = [];

    /// <summary>Groups are <c>ft:{account}</c>, <c>bm:{account}:{hash}</c>, <c>ev:{account}</c> (<see cref="BatchGroups"/>).</summary>
    private static string AccountOf(string group) => group.Split(':')[1];
}
