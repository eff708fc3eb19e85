using System.Text.Json.Nodes;
using KakaoAspire.FriendTalk.Messages;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Providers;

/// <summary>
/// NHN Brand Message free-form send v1.0 (docs/nhn-and-event-api.md#nhn-the-send-request): content and buttons sit at the top level, shared by
/// every recipient, so a batch holds only messages with identical content (see BatchGroups).
/// </summary>
public sealed class BrandMessageProvider(IHttpClientFactory clients, ILogger<BrandMessageProvider> logger) : NhnProvider(clients, logger)
{
    public override ProviderKind Kind => ProviderKind.BrandMessage;

    protected override string ApiPrefix => "/brand-message/v1.0";

    protected override string SendResource => "freestyle-messages";

    protected override string BaseUrl(KakaoAccountConfig account) => account.Outbound.BrandMessageBaseUrl;

    public override string BuildRequest(KakaoAccountConfig account, string batchId, IReadOnlyList<OutboundMessage> messages)
    {
        var first = messages[0];
        var recipients = new JsonArray();
        foreach (var message in messages)
        {
            recipients.Add(new JsonObject
            {
                ["recipientNo"] = message.RecipientValue,
                // I = channel friends: the old Friend Talk reach; M/N need marketing consent and a verified business.
                ["targeting"] = "I",
                ["recipientGroupingKey"] = message.Id,
            });
        }
        var body = new JsonObject
        {
            ["senderKey"] = account.SenderKey,
            ["chatBubbleType"] = first.ImageUrl is null ? "TEXT" : "IMAGE",
            ["pushAlarm"] = true,
            ["adult"] = false,
            ["content"] = first.Text,
            ["recipientList"] = recipients,
        };
        if (first.ImageUrl is not null)
        {
            body["image"] = new JsonObject { ["imageUrl"] = first.ImageUrl };
        }
        if (first.Buttons.Count > 0)
        {
            body["buttons"] = Buttons(first.Buttons);
        }
        return body.ToJsonString();
    }
}
