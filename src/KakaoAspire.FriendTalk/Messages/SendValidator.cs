using KakaoAspire.FriendTalk.Providers;
using KakaoAspire.Moltbot.Config;

namespace KakaoAspire.FriendTalk.Messages;

/// <summary>Checks a send request against the config and the provider's limits; every error names the field and the fix.</summary>
public static class SendValidator
{
    public static ValidatedSend? Validate(
        SendMessageRequest request, string? headerKey, MoltbotConfig config, out Dictionary<string, string[]> errors)
    {
        var found = new Dictionary<string, string[]>();
        errors = found;
        void Add(string field, string message) => found[field] = [.. found.GetValueOrDefault(field, []), message];

        if (request.Channel is { } channel && !string.Equals(channel.Trim(), "kakao", StringComparison.OrdinalIgnoreCase))
        {
            Add("channel", $"unsupported channel '{channel}': this API sends only on \"kakao\" (or leave channel out).");
        }

        var key = ResolveIdempotencyKey(request.IdempotencyKey, headerKey, Add);

        var accountId = string.IsNullOrWhiteSpace(request.AccountId) ? config.Kakao.DefaultAccount : request.AccountId.Trim();
        var account = config.Kakao.FindAccount(accountId);
        if (account is null)
        {
            var known = string.Join(", ", config.Kakao.Accounts.Select(a => a.Id));
            Add("accountId", $"no account '{accountId}' in channels.kakao.accounts; use one of: {known}.");
        }
        else if (!account.Enabled)
        {
            Add("accountId", $"account '{account.Id}' is disabled; set channels.kakao.accounts.{account.Id}.enabled to true.");
        }

        if (!RecipientParser.TryParse(request.To, out var recipient, out var toError))
        {
            Add("to", toError);
        }

        var provider = recipient is null || account is null
            ? (ProviderKind?)null
            : recipient.IsPhone ? ProviderKinds.FromConfig(account.Outbound.PhoneProvider) : ProviderKind.EventApi;

        if (provider is { } p && account is not null)
        {
            CheckKeys(p, account, Add);
        }

        var image = string.IsNullOrWhiteSpace(request.ImageUrl) ? request.MediaUrl : request.ImageUrl;
        var imageUrl = string.IsNullOrWhiteSpace(image) ? null : image.Trim();
        if (imageUrl is not null && !IsWebUrl(imageUrl))
        {
            Add("imageUrl", "must be an absolute http or https URL (for NHN, one returned by NHN's image upload).");
        }

        var text = request.Message ?? "";
        if (string.IsNullOrWhiteSpace(text))
        {
            Add("message", "is required: give the text to send.");
        }
        IReadOnlyList<string>? parts = null;
        if (!string.IsNullOrWhiteSpace(text) && provider is { } kind)
        {
            // Longer than the provider takes: sent as ordered parts rather than refused.
            parts = MessageParts.Split(text, kind, imageUrl is not null);
            if (parts.Count > MessageLimits.MaxParts)
            {
                Add("message", $"is {text.Length} characters, {parts.Count} messages on {kind.Name()}; at most {MessageLimits.MaxParts} parts are sent for one request: shorten it.");
            }
        }

        var buttons = request.Buttons ?? [];
        CheckButtons(buttons, provider, Add);

        if (found.Count > 0 || account is null || recipient is null || provider is null || key is null)
        {
            return null;
        }
        return new ValidatedSend(account, provider.Value, recipient, text, buttons, imageUrl, key,
            request.IsAd ?? account.Outbound.IsAd, parts);
    }

    private static string? ResolveIdempotencyKey(string? bodyKey, string? headerKey, Action<string, string> add)
    {
        var body = string.IsNullOrWhiteSpace(bodyKey) ? null : bodyKey.Trim();
        var header = string.IsNullOrWhiteSpace(headerKey) ? null : headerKey.Trim();
        if (body is not null && header is not null && body != header)
        {
            add("idempotencyKey", "the Idempotency-Key header and the idempotencyKey field differ: send one of them, or the same value in both.");
            return null;
        }
        var key = body ?? header;
        if (key is null)
        {
            add("idempotencyKey", "is required: send an Idempotency-Key header or an idempotencyKey field (a UUID per message; reuse it only to retry the same send).");
            return null;
        }
        if (key.Length > MessageLimits.MaxIdempotencyKeyLength)
        {
            add("idempotencyKey", $"is longer than {MessageLimits.MaxIdempotencyKeyLength} characters: use a UUID.");
            return null;
        }
        return key;
    }

    private static void CheckKeys(ProviderKind provider, KakaoAccountConfig account, Action<string, string> add)
    {
        var path = $"channels.kakao.accounts.{account.Id}";
        if (provider.IsNhn())
        {
            foreach (var (name, value) in new[] { ("senderKey", account.SenderKey), ("toastAppKey", account.ToastAppKey), ("toastSecretKey", account.ToastSecretKey) })
            {
                if (string.IsNullOrWhiteSpace(value))
                {
                    add($"{path}.{name}", $"is not set, and {provider.Name()} (outbound.phoneProvider) needs it: set {path}.{name} from the NHN Cloud console, or send to a kakao:botUserKey:<id> address through the Event API.");
                }
            }
            return;
        }
        if (!account.HasAdminKey)
        {
            add($"{path}.adminKey", $"is not set, and the Event API needs it: set {path}.adminKey (or KAKAO_ADMIN_KEY) to the Kakao Developers REST API key.");
        }
        if (string.IsNullOrWhiteSpace(account.BotId))
        {
            add($"{path}.botId", $"is not set, and the Event API needs it: set {path}.botId to the Open Builder bot id.");
        }
    }

    private static void CheckButtons(IReadOnlyList<MessageButton> buttons, ProviderKind? provider, Action<string, string> add)
    {
        if (buttons.Count > MessageLimits.MaxButtons)
        {
            add("buttons", $"has {buttons.Count} buttons; at most {MessageLimits.MaxButtons}: remove some.");
        }
        var maxName = provider is { } kind ? MessageLimits.MaxButtonName(kind) : 28;
        for (var i = 0; i < buttons.Count; i++)
        {
            var button = buttons[i];
            if (string.IsNullOrWhiteSpace(button.Name) || button.Name.Length > maxName)
            {
                add($"buttons[{i}].name", $"must be 1 to {maxName} characters: give the button a short label.");
            }
            if (!IsWebUrl(button.Url) || (button.PcUrl is not null && !IsWebUrl(button.PcUrl)))
            {
                add($"buttons[{i}].url", "must be an absolute http or https URL.");
            }
        }
    }

    private static bool IsWebUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
