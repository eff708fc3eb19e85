namespace KakaoAspire.FriendTalk.Messages;

/// <summary>A web-link button (NHN type WL): <paramref name="Url"/> opens on mobile, <paramref name="PcUrl"/> (default: the same) on PC.</summary>
public sealed record MessageButton(string? Name, string? Url, string? PcUrl = null);
