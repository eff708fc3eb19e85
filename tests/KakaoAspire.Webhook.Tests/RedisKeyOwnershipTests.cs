using System.Text.RegularExpressions;

namespace KakaoAspire.Webhook.Tests;

/// <summary>
/// Services share no Redis key (docs/architecture.md): each key is named in the source of the one service that owns it,
/// and what another service needs it asks for over HTTP. The few records two services truly share have one typed owner
/// in KakaoAspire.Contracts. Read from the source, so a copied key string fails here too.
/// </summary>
public sealed partial class RedisKeyOwnershipTests
{
    private static readonly string[] Services =
        ["KakaoAspire.Webhook", "KakaoAspire.AgentRouter", "KakaoAspire.FriendTalk", "KakaoAspire.Edge", "KakaoAspire.Cli"];

    private const string Contracts = "KakaoAspire.Contracts";

    [Fact]
    public void No_service_names_a_Redis_key_that_another_service_or_the_contracts_own()
    {
        var owners = Services.Append(Contracts).ToDictionary(p => p, p => KeyTemplates(p));
        Assert.NotEmpty(owners["KakaoAspire.Webhook"]);
        Assert.NotEmpty(owners["KakaoAspire.AgentRouter"]);
        Assert.NotEmpty(owners["KakaoAspire.FriendTalk"]);
        foreach (var service in Services)
        {
            foreach (var key in owners[service])
            {
                foreach (var (other, theirs) in owners.Where(o => o.Key != service))
                {
                    var clash = theirs.FirstOrDefault(t => Overlap(key, t));
                    Assert.True(clash is null, $"{service} names the Redis key {key}, which is {other}'s {clash}: ask {other} over HTTP instead.");
                }
            }
        }
    }

    [Fact]
    public void Every_key_in_the_contracts_is_used_by_at_least_two_services()
    {
        var sources = Services.ToDictionary(s => s, s => string.Join('\n', Sources(s)));
        foreach (var file in Directory.EnumerateFiles(Project(Contracts), "*.cs"))
        {
            var text = File.ReadAllText(file);
            if (!KeyLiteral().IsMatch(text))
            {
                continue;
            }
            var type = StaticClass().Match(text).Groups[1].Value;
            foreach (Match member in KeyMember().Matches(text))
            {
                var name = $"{type}.{member.Groups[1].Value}";
                var users = Services.Where(s => sources[s].Contains(name, StringComparison.Ordinal)).ToList();
                Assert.True(users.Count >= 2,
                    $"{name} is in Contracts but used by {(users.Count == 0 ? "no service" : string.Join(", ", users))}: move it into the service that owns it.");
            }
        }
    }

    [Theory]
    [InlineData("moltbot:out:msg:{messageId}", "moltbot:out:msg:{id}", true)]
    [InlineData("moltbot:out:msg:*", "moltbot:out:msg:{id}", true)]
    [InlineData("moltbot:turn:{turnId}:answer", "moltbot:turn:{id}:answer", true)]
    [InlineData("moltbot:out:agentcap:{a}:{u}:{d}", "moltbot:out:msg:{id}", false)]
    [InlineData("moltbot:account:{accountId}:in", "moltbot:account:{accountId}:out", false)]
    public void Two_key_templates_overlap_when_one_key_could_be_both(string a, string b, bool overlap) =>
        Assert.Equal(overlap, Overlap(a, b));

    /// <summary>Every Redis key template a project's code names (string literals only; comments left out).</summary>
    private static HashSet<string> KeyTemplates(string project) =>
        [.. Sources(project).SelectMany(text => KeyLiteral().Matches(text).Select(m => m.Groups[1].Value))];

    private static IEnumerable<string> Sources(string project) =>
        Directory.EnumerateFiles(Project(project), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => string.Join('\n', File.ReadLines(f).Where(l => !l.TrimStart().StartsWith("//", StringComparison.Ordinal))));

    /// <summary>True when some key matches both templates (a <c>{hole}</c> or <c>*</c> stands for any text).</summary>
    private static bool Overlap(string a, string b) => Pattern(a).IsMatch(Sample(b)) || Pattern(b).IsMatch(Sample(a));

    private static Regex Pattern(string template) =>
        new("^" + string.Concat(Hole().Split(template).Select((part, i) => i % 2 == 0 ? Regex.Escape(part) : ".*")) + "$");

    private static string Sample(string template) => Hole().Replace(template, "x");

    private static string Project(string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "KakaoAspire.sln")))
        {
            dir = dir.Parent;
        }
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("KakaoAspire.sln not found above the test binaries."), "src", name);
    }

    // "moltbot:" and a lowercase word: a key, not the CLI's name ("moltbot: the…") or the legacy model prefix ("moltbot:").
    [GeneratedRegex("\"(moltbot:[a-z][^\"]*)\"")]
    private static partial Regex KeyLiteral();

    [GeneratedRegex(@"(\{[^}]*\}|\*)")]
    private static partial Regex Hole();

    [GeneratedRegex(@"public static class (\w+)")]
    private static partial Regex StaticClass();

    // A key helper (a method or property returning a string built from "moltbot:…").
    [GeneratedRegex(@"public static string (\w+)(?:\([^)]*\))? =>\s*\$?""moltbot:")]
    private static partial Regex KeyMember();
}
