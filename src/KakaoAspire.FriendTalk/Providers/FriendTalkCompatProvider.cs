using System.Text.Json.Nodes;
using KakaoAspire.FriendTalk.Messages;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Providers;

/// <summary>
/// NHN Friend Talk v2.4 with <c>X-Convert-To-Brand-Message: true</c> (Kakao ended Friend Talk; NHN converts
/// until about 2026-12-31). Content is per recipient, so any messages of one account share a request.
/// </summary>
public sealed class FriendTalkCompatProvider(IHttpClientFactory clients, ILogger<FriendTalkCompatProvider> logger) : NhnProvider(clients, logger)
{
    public override ProviderKind Kind => ProviderKind.FriendtalkCompat;

    protected override string ApiPrefix => "/friendtalk/v2.4";

    protected override string SendResource => "messages";

    protected override string BaseUrl(KakaoAccountConfig account) => account.Outbound.NhnBaseUrl;

    protected override bool GroupsBySender => true;

    protected override void AddSendHeaders(HttpRequestMessage request, KakaoAccountConfig account) =>
        request.Headers.Add("X-Convert-To-Brand-Message", "true");

    public override string BuildRequest(KakaoAccountConfig account, string batchId, IReadOnlyList<OutboundMessage> messages)
    {
        var recipients = new JsonArray();
        foreach (var message in messages)
        {
            var recipient = new JsonObject
            {
                ["recipientNo"] = message.RecipientValue,
                ["content"] = message.Text,
                ["isAd"] = message.IsAd,
                ["recipientGroupingKey"] = message.Id,
            };
            if (message.ImageUrl is not null)
            {
                recipient["imageUrl"] = message.ImageUrl;
            }
            if (message.Buttons.Count > 0)
            {
                recipient["buttons"] = Buttons(message.Buttons);
            }
            recipients.Add(recipient);
        }
        return new JsonObject
        {
            ["senderKey"] = account.SenderKey,
            ["senderGroupingKey"] = batchId,
            ["recipientList"] = recipients,
        }.ToJsonString();
    }
}
