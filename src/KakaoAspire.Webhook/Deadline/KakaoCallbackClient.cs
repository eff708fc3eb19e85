using System.Net.Http.Headers;
using KakaoAspire.Kakao.Skill;

namespace KakaoAspire.Webhook.Deadline;

/// <summary>POSTs the final SkillResponse to a callbackUrl: once, verbatim, no redirects, no retries.</summary>
public sealed class KakaoCallbackClient(HttpClient http, ILogger<KakaoCallbackClient> logger)
{
    /// <summary>POSTs <paramref name="skillResponseJson"/> (kept as posted, so a replica repeating it sends the same bytes).</summary>
    public async Task<CallbackResult?> PostAsync(string callbackUrl, string skillResponseJson, CancellationToken cancellationToken)
    {
        using var content = new StringContent(skillResponseJson, System.Text.Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        // The URL goes out as Kakao wrote it: re-encoding the token path made Kakao answer "Invalid callback token".
        var uri = new Uri(callbackUrl, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var reply = await http.PostAsync(uri, content, cancellationToken);
        var body = await reply.Content.ReadAsStringAsync(cancellationToken);
        CallbackResult? result = null;
        try
        {
            result = body.Length == 0 ? null : SkillJson.ParseCallbackResult(body);
        }
        catch (System.Text.Json.JsonException)
        {
            // Logged below with the HTTP status; the body may be an HTML error page.
        }
        if (reply.IsSuccessStatusCode && result?.IsSuccess == true)
        {
            logger.LogInformation("Kakao accepted the callback: taskId {TaskId}, status {Status}", result.TaskId, result.Status);
        }
        else
        {
            logger.LogWarning("Kakao refused the callback: HTTP {HttpStatus}, taskId {TaskId}, status {Status}, message {Message}",
                (int)reply.StatusCode, result?.TaskId, result?.Status, result?.Message);
        }
        return result;
    }
}
