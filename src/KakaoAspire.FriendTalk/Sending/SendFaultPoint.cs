namespace KakaoAspire.FriendTalk.Sending;

/// <summary>The moments between two durable steps of a send, where a crash is most instructive.</summary>
public enum SendFaultPoint
{
    AfterClaim,
    AfterPersist,
    AfterProviderCall,
}
