global using KakaoAspire.Webhook.Skill;
