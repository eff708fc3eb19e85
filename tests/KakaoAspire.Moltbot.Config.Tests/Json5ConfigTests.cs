using KakaoAspire.Moltbot.Config.Parsing;

namespace KakaoAspire.Moltbot.Config.Tests;

/// <summary>The config file as Moltbot users write it: JSON5.</summary>
public class Json5ConfigTests
{
    [Fact]
    public void A_json5_config_with_unquoted_keys_single_quotes_comments_and_trailing_commas_loads()
    {
        var config = TestConfig.Parse("""
            // ~/.moltbot/moltbot.json, as Moltbot's docs write it
            {
              gateway: { port: 18789, },
              channels: {
                kakao: {
                  accounts: {
                    default: {
                      webhookPort: 0x2254,          /* 8788 */
                      deniedText: '지금은 \'대화\'를 받을 수 없어요. \
            내일 다시 와 주세요.',
                      textChunkLimit: +900,
                      outbound: { dailyCap: 500., isAd: false, },
                    },
                  },
                },
              },
              session: { dmScope: 'per-peer' },
            }
            """);

        var account = config.Kakao.Accounts.Single();
        Assert.Equal(8788, account.WebhookPort);
        Assert.Equal("지금은 '대화'를 받을 수 없어요. 내일 다시 와 주세요.", account.DeniedText);
        Assert.Equal(900, account.TextChunkLimit);
        Assert.Equal(500, account.Outbound.DailyCap);
    }

    [Fact]
    public void A_wrong_value_in_json5_is_named_by_its_config_path_as_in_json()
    {
        var exception = TestConfig.Fails("{ channels: { kakao: { accounts: { default: { webhookPort: 'eighty' } } } } }");

        Assert.Contains("expected an integer", TestConfig.ErrorAt(exception, "channels.kakao.accounts.default.webhookPort").Message);
    }

    [Fact]
    public void An_unknown_unquoted_key_is_named_with_its_path()
    {
        var exception = TestConfig.Fails("{ channels: { kakao: { accounts: { default: { webhookPrt: 8788 } } } } }");

        Assert.Contains("unknown key", TestConfig.ErrorAt(exception, "channels.kakao.accounts.default.webhookPrt").Message);
    }

    [Theory]
    [InlineData("{ a: 'no end }", "line 1, column 6", "no closing '")]
    [InlineData("{\n  a: 1,\n  b: Infinity\n}", "line 3, column 6", "Infinity has no place in the config")]
    [InlineData("{ a: 1 /* open", "line 1, column 8", "never closed")]
    [InlineData("{ 1a: 2 }", "line 1, column 3", "expected a key")]
    [InlineData("[1, 2,, 3]", "line 1, column 7", "expected a value")]
    [InlineData("{ a: 01 }", "line 1, column 6", "'01' is not a value")]
    [InlineData("{ a: 1 } }", "line 1, column 10", "after the end of the config")]
    [InlineData("{ a: [1, 2 }", "line 1, column 12", "expected ',' or ']'")]
    public void Syntax_errors_name_the_line_column_and_problem(string json5, string where, string problem)
    {
        var error = Assert.Throws<Json5SyntaxException>(() => Json5Text.ToJson(json5));

        Assert.StartsWith(where, error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("{a:.5,b:5.,c:-0x1F,d:+1e3,e:'\\x41\\u00e9\\t',$f_1:null,'g':[true,false,],}", """{"a":0.5,"b":5,"c":-31,"d":1e3,"e":"Aé\t","$f_1":null,"g":[true,false]}""")]
    [InlineData("\uFEFF{ \"plain\": \"json\" }", """{"plain":"json"}""")]
    [InlineData("{ k: '한글 \"따옴표\"' }", """{"k":"한글 \"따옴표\""}""")]
    public void Json5_is_rewritten_as_the_json_it_means(string json5, string json) =>
        Assert.Equal(json, Json5Text.ToJson(json5));
}
