using System.ComponentModel.DataAnnotations;
using Telehealth.Notifications.Email;
using Telehealth.Notifications.Outbox;
using Telehealth.Notifications.Webhooks;

namespace Telehealth.Tests.Notifications;

/// <summary>Settings that would fail at 3 a.m. fail at start instead, each with the setting named.</summary>
public sealed class NotificationOptionsTests
{
    private const string GoodSecret = "0123456789abcdef0123456789abcdef";

    public static TheoryData<string?, string?, string?, string?, SmtpTlsMode, string?> SmtpCases => new()
    {
        // host, from, username, password, tls, expected problem (null: valid)
        { null, null, null, null, SmtpTlsMode.None, null },
        { "smtp.trust.test", "alerts@trust.test", null, null, SmtpTlsMode.StartTls, null },
        { "smtp.trust.test", "alerts@trust.test", "user", "pw", SmtpTlsMode.SslOnConnect, null },
        { "smtp.trust.test", null, null, null, SmtpTlsMode.StartTls, "Notifications:Smtp:From" },
        { "smtp.trust.test", "alerts", null, null, SmtpTlsMode.StartTls, "Notifications:Smtp:From" },
        { "smtp.trust.test", "alerts@trust.test", "user", null, SmtpTlsMode.StartTls, "Username and Notifications:Smtp:Password" },
        { "smtp.trust.test", "alerts@trust.test", "user", "pw", SmtpTlsMode.None, "clear text" },
    };

    [Theory]
    [MemberData(nameof(SmtpCases))]
    public void Smtp(string? host, string? from, string? username, string? password, SmtpTlsMode tls, string? problem)
    {
        var options = new SmtpOptions { Host = host, From = from, Username = username, Password = password, Tls = tls };
        AssertProblem(options, problem);
    }

    [Theory]
    [InlineData("https://sms.example.test/hook", GoodSecret, "sms", null)]
    [InlineData("http://127.0.0.1:8080/hook", GoodSecret, "sms", null)]
    [InlineData("http://[::1]:8080/hook", GoodSecret, "sms", null)]
    [InlineData("http://sms.example.test/hook", GoodSecret, "sms", "must be an absolute https URL")]
    [InlineData("ftp://sms.example.test/hook", GoodSecret, "sms", "must be an absolute https URL")]
    [InlineData("/relative", GoodSecret, "sms", "must be an absolute https URL")]
    [InlineData("https://sms.example.test/hook", "short", "sms", "Secret must be at least 32")]
    [InlineData("https://sms.example.test/hook", null, "sms", "Secret must be at least 32")]
    [InlineData("https://sms.example.test/hook", GoodSecret, "sms gateway", "not a valid target name")]
    public void Webhook_targets(string url, string? secret, string name, string? problem)
    {
        var options = new WebhookOptions();
        options.Targets[name] = new WebhookTarget { Url = url, Secret = secret };
        AssertProblem(options, problem);
    }

    [Theory]
    [InlineData("https://telehealth.trust.test/", null)]
    [InlineData("", null)]
    [InlineData("telehealth.trust.test", "DashboardBaseUrl")]
    public void Dashboard_link_base(string url, string? problem) =>
        AssertProblem(new NotificationOutboxOptions { DashboardBaseUrl = url }, problem);

    private static void AssertProblem(object options, string? problem)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (problem is null)
        {
            Assert.Empty(results);
        }
        else
        {
            Assert.Contains(results, r => r.ErrorMessage!.Contains(problem, StringComparison.Ordinal));
        }
    }
}
