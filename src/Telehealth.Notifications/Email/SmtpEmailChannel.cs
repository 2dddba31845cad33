using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Polly;
using Polly.Retry;
using Telehealth.Notifications.Channels;

namespace Telehealth.Notifications.Email;

/// <summary>
/// Email over SMTP with MailKit: one connection per message (notifications are rare and a pooled connection would
/// go stale between them), TLS as configured, retries with back-off for what may pass (connection errors, timeouts,
/// SMTP 4xx). A 5xx reply (unknown mailbox, message refused) is a rejection, recorded with the server's answer.
/// </summary>
public sealed class SmtpEmailChannel : INotificationChannel
{
    private const int MaxErrorLength = 1000;

    private readonly SmtpOptions _options;
    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;

    public SmtpEmailChannel(IOptions<SmtpOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
        var builder = new ResiliencePipelineBuilder { TimeProvider = time };
        if (_options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(IsTransient),
                MaxRetryAttempts = _options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
            });
        }
        _pipeline = builder.Build();
    }

    public string Kind => NotificationChannels.Email;

    public async Task<NotificationResult> SendAsync(Notification notification, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        if (!_options.Enabled)
        {
            return new NotificationResult(NotificationOutcome.Rejected, null, 0, "channel_not_configured: Notifications:Smtp:Host is empty");
        }
        if (!MailboxAddress.TryParse(address, out var recipient) || !address.Contains('@', StringComparison.Ordinal))
        {
            return new NotificationResult(NotificationOutcome.Rejected, null, 0, "invalid_address");
        }
        var attempts = 0;
        try
        {
            await _pipeline.ExecuteAsync(async token =>
            {
                attempts++;
                using var message = Build(notification, recipient);
                using var timeout = new CancellationTokenSource(_options.Timeout, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, timeout.Token);
                using var client = new SmtpClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
                try
                {
                    await client.ConnectAsync(_options.Host!, _options.Port, SocketOptions(_options.Tls), linked.Token);
                    if (!string.IsNullOrEmpty(_options.Username))
                    {
                        await client.AuthenticateAsync(_options.Username, _options.Password ?? "", linked.Token);
                    }
                    await client.SendAsync(message, linked.Token);
                    await client.DisconnectAsync(quit: true, linked.Token);
                }
                catch (OperationCanceledException) when (timeout.IsCancellationRequested && !token.IsCancellationRequested)
                {
                    throw new TimeoutException($"SMTP exchange took longer than {_options.Timeout}.");
                }
            }, cancellationToken);
            return NotificationResult.Delivered(250, attempts);
        }
        catch (SmtpCommandException refused) when (!cancellationToken.IsCancellationRequested)
        {
            var code = (int)refused.StatusCode;
            var outcome = code is >= 400 and < 500 ? NotificationOutcome.Transient : NotificationOutcome.Rejected;
            return new NotificationResult(outcome, code, attempts, Cap($"{refused.ErrorCode}: {refused.Message}"));
        }
        catch (Exception failure) when (IsTransient(failure) && !cancellationToken.IsCancellationRequested)
        {
            return new NotificationResult(NotificationOutcome.Transient, null, attempts, Cap($"{failure.GetType().Name}: {failure.Message}"));
        }
        catch (Exception failure) when (failure is AuthenticationException or SslHandshakeException or NotSupportedException && !cancellationToken.IsCancellationRequested)
        {
            // Wrong credentials, a certificate we do not trust, STARTTLS required but not offered: configuration, not luck.
            return new NotificationResult(NotificationOutcome.Rejected, null, attempts, Cap($"{failure.GetType().Name}: {failure.Message}"));
        }
    }

    private MimeMessage Build(Notification notification, MailboxAddress recipient)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_options.From!));
        message.To.Add(recipient);
        message.Subject = NotificationContent.EmailSubject(notification);
        // The notification id as Message-ID: a resend after a crash carries the same id, so mail systems can fold it.
        message.MessageId = $"{notification.Id:N}@telehealth.invalid";
        message.Headers.Add("X-Telehealth-Alert", notification.AlertId.ToString());
        message.Body = new TextPart("plain") { Text = NotificationContent.EmailBody(notification) };
        return message;
    }

    private static SecureSocketOptions SocketOptions(SmtpTlsMode mode) => mode switch
    {
        SmtpTlsMode.StartTls => SecureSocketOptions.StartTls,
        SmtpTlsMode.SslOnConnect => SecureSocketOptions.SslOnConnect,
        _ => SecureSocketOptions.None,
    };

    private static bool IsTransient(Exception exception) => exception switch
    {
        SmtpCommandException command => (int)command.StatusCode is >= 400 and < 500,
        SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException or TimeoutException => true,
        _ => false,
    };

    private static string Cap(string text) => text.Length > MaxErrorLength ? text[..MaxErrorLength] : text;
}
