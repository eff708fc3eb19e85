namespace KakaoAspire.Webhook.Pairing;

/// <summary>A pending pairing request, as the pairing API lists it (no secret in it: the code is what the owner approves).</summary>
public sealed record PairingRequest(string AccountId, string Code, string UserId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
