using System.Text;
using Telehealth.Notifications.Webhooks;

namespace Telehealth.Tests.Notifications;

public sealed class WebhookSignatureTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"a":1}""");
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1764000000);

    [Fact]
    public void The_signature_is_hex_HMAC_SHA256_over_timestamp_dot_body()
    {
        // Computed independently: python3 -c "import hmac,hashlib; print(hmac.new(b'0123…', b'1764000000.{\"a\":1}', hashlib.sha256).hexdigest())"
        Assert.Equal("v1=020c626f1ccd9fdc1fb78034d6735bdca794ce2de3efea76942a018a08ac78bc", WebhookSignature.Sign(Secret, 1764000000, Body));
    }

    [Theory]
    [InlineData("1764000000", 0, true)]
    [InlineData("1764000000", 299, true)]
    [InlineData("1764000000", -299, true)]
    [InlineData("1764000000", 301, false)]
    [InlineData("1764000000", -301, false)]
    [InlineData("1764000001", 0, false)]
    [InlineData("", 0, false)]
    [InlineData("-1764000000", 0, false)]
    [InlineData("17640000OO", 0, false)]
    public void A_receiver_accepts_only_the_signed_timestamp_within_its_tolerance(string timestamp, int clockOffsetSeconds, bool accepted)
    {
        var signature = WebhookSignature.Sign(Secret, 1764000000, Body);
        Assert.Equal(accepted, WebhookSignature.Verify(Secret, timestamp, signature, Body, At.AddSeconds(clockOffsetSeconds), TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public void Another_secret_another_body_or_no_signature_does_not_verify()
    {
        var signature = WebhookSignature.Sign(Secret, 1764000000, Body);
        Assert.False(WebhookSignature.Verify(Secret + "x", "1764000000", signature, Body, At, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, "1764000000", signature, Encoding.UTF8.GetBytes("""{"a":2}"""), At, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, "1764000000", null, Body, At, TimeSpan.FromMinutes(5)));
        Assert.False(WebhookSignature.Verify(Secret, "1764000000", signature.ToUpperInvariant(), Body, At, TimeSpan.FromMinutes(5)));
    }
}
