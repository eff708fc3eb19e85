using System.Net;
using System.Text.Json.Nodes;

namespace KakaoAspire.Webhook.Tests;

public sealed class InputRulesTests(WebhookFixture fixture) : IClassFixture<WebhookFixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task NormalMessageGetsTheAgentsAnswerInlineAsTheFirstSimpleText()
    {
        var (response, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "안녕하세요"));

        Assert.Equal("2.0", response.Version);
        Assert.Equal("답변: 안녕하세요", Skill.Texts(response)[0]);
    }

    [Fact]
    public async Task MissingUserIdIsA400ProblemNamingTheField()
    {
        var body = Skill.Payload("x", "hi");
        body["userRequest"]!["user"]!.AsObject().Remove("id");

        using var response = await Skill.PostAsync(Client, TestConfig.Open, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("userRequest.user.id", (string?)(await Skill.ReadJsonAsync(response))["field"]);
    }

    [Fact]
    public async Task MissingUtteranceIsA400ProblemNamingTheField()
    {
        var body = Skill.Payload("x", "hi");
        body["userRequest"]!.AsObject().Remove("utterance");

        using var response = await Skill.PostAsync(Client, TestConfig.Open, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("userRequest.utterance", (string?)(await Skill.ReadJsonAsync(response))["field"]);
    }

    [Fact]
    public async Task An_utterance_over_2000_characters_gets_a_clear_Korean_reply_and_never_reaches_the_agent()
    {
        var user = Skill.NewUser();
        var tooLong = new string('가', 2001);
        var longest = new string('나', 2000);

        var (refused, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(user, tooLong));
        var (accepted, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(user, longest));

        Assert.Equal("메시지가 너무 길어요. 2,000자 이내로 나눠서 보내 주세요.", Skill.Texts(refused).Single());
        Assert.Equal(0, fixture.Router.RunsOf(tooLong));
        Assert.Equal(1, fixture.Router.RunsOf(longest));
        Assert.Contains(new string('나', 100), string.Concat(Skill.Texts(accepted)));
    }

    [Theory]
    [InlineData("userRequest.user.id", "too-long")]
    [InlineData("userRequest.user.id", "has:colon")]
    [InlineData("userRequest.user.id", "has space")]
    [InlineData("userRequest.user.properties.plusfriendUserKey", "키")]
    [InlineData("userRequest.user.properties.appUserId", "app\nid")]
    [InlineData("userRequest.user.properties.botUserKey", "too-long")]
    public async Task An_id_that_is_too_long_or_has_odd_characters_is_a_400_naming_the_field(string field, string value)
    {
        var id = value == "too-long" ? new string('a', 129) : value;
        var body = Skill.Payload(Skill.NewUser(), "안녕");
        var parts = field.Split('.');
        var parent = parts[..^1].Aggregate((JsonNode)body, (node, part) => node[part]!);
        parent[parts[^1]] = id;

        using var response = await Skill.PostAsync(Client, TestConfig.Open, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (string?)(await Skill.ReadJsonAsync(response))["field"]);
    }

    [Fact]
    public async Task Kakaos_own_ids_pass_the_id_rules()
    {
        var body = Skill.Payload("8f3b2c1d9e0a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5", "안녕",
            plusfriendUserKey: "Xy7AbCdEfGh1", appUserId: "3141592653");

        var (response, _) = await Skill.AskAsync(Client, TestConfig.Open, body);

        Assert.Equal("답변: 안녕", Skill.Texts(response)[0]);
    }

    [Fact]
    public async Task BodyThatIsNotJsonIsA400Problem()
    {
        using var response = await Skill.PostRawAsync(Client, TestConfig.Open, "{not json");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task GetOnTheSkillPathIs405()
    {
        using var response = await Client.GetAsync("/kakao/skill");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", response.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task MissingOrWrongWebhookSecretIs401AndTheRightOneIsAnswered()
    {
        var body = Skill.Payload(Skill.NewUser(), "비밀");

        using var missing = await Skill.PostWithoutSecretAsync(Client, TestConfig.Secret, body);
        using var wrong = await Skill.PostAsync(Client, TestConfig.Secret, body, ("X-Moltbot-Webhook-Secret", "nope"));
        using var right = await Skill.PostAsync(Client, TestConfig.Secret, body, ("X-Moltbot-Webhook-Secret", TestConfig.WebhookSecret));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.DoesNotContain(TestConfig.WebhookSecret, await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task TheWebhookSecretNeverReachesALog()
    {
        var body = Skill.Payload(Skill.NewUser(), "로그");
        using var wrong = await Skill.PostAsync(Client, TestConfig.Secret, body, ("X-Moltbot-Webhook-Secret", TestConfig.WebhookSecret + "x"));
        using var right = await Skill.PostAsync(Client, TestConfig.Secret, body, ("X-Moltbot-Webhook-Secret", TestConfig.WebhookSecret));

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains(fixture.Factory.Logs.Lines, l => l.Contains("wrong webhook secret", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Factory.Logs.Lines, l => l.Contains(TestConfig.WebhookSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Factory.Logs.Lines, l => l.Contains(TestConfig.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailingAgentGivesA200WithAPoliteKoreanMessage()
    {
        var (response, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "fail"));

        Assert.Equal(SkillTexts.AgentFailed, Skill.Texts(response).Single());
    }

    [Fact]
    public async Task AgentThatChoosesNotToReplyGivesEmptyReplyText()
    {
        var (response, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "empty"));

        Assert.Equal(TestConfig.EmptyText, Skill.Texts(response).Single());
    }

    [Fact]
    public async Task AgentQuickRepliesPassThrough()
    {
        var (response, _) = await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "qr 골라 주세요"));

        Assert.Equal(["하나", "둘"], Skill.QuickReplyLabels(response));
    }

    [Fact]
    public async Task HangulIsWrittenAsUtf8NotEscaped()
    {
        using var response = await Skill.PostAsync(Client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "안녕"));

        var raw = await response.Content.ReadAsStringAsync();
        Assert.Contains("답변: 안녕", raw);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
    }

    [Fact]
    public async Task InboundMessagesAreCountedForTheStatusApi()
    {
        await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(Skill.NewUser(), "세기"));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/status");
        request.Headers.Authorization = new("Bearer", TestConfig.Token);
        using var response = await Client.SendAsync(request);
        var json = await Skill.ReadJsonAsync(response);

        var open = json["accounts"]!.AsArray().Single(a => (string?)a!["id"] == TestConfig.Open)!;
        Assert.True((long)open["in"]!["count"]! >= 1);
        Assert.NotNull((string?)open["in"]!["lastAt"]);
    }

    [Theory]
    [InlineData("세기 한 번")]
    [InlineData("답변 확인")] // typed, with nothing held: it becomes a message for the agent, still one request
    [InlineData("too-long")]  // refused before any turn
    public async Task EachSkillRequestIsCountedOnceInTheStatusApi(string utterance)
    {
        var text = utterance == "too-long" ? new string('가', KakaoAspire.Webhook.Limits.SkillInputRules.MaxUtteranceLength + 1) : utterance;
        var before = await InboundCountAsync();

        await Skill.AskAsync(Client, TestConfig.Open, Skill.Payload(Skill.NewUser(), text));

        Assert.Equal(before + 1, await InboundCountAsync());
    }

    private async Task<long> InboundCountAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/status");
        request.Headers.Authorization = new("Bearer", TestConfig.Token);
        using var response = await Client.SendAsync(request);
        var json = await Skill.ReadJsonAsync(response);
        var open = json["accounts"]!.AsArray().Single(a => (string?)a!["id"] == TestConfig.Open)!;
        return (long?)open["in"]!["count"] ?? 0;
    }
}
