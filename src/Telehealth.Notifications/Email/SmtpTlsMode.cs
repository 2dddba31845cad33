namespace Telehealth.Notifications.Email;

/// <summary>How the SMTP connection is protected.</summary>
public enum SmtpTlsMode
{
    /// <summary>STARTTLS is required; the send fails if the server does not offer it (the default: port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS, port 465).</summary>
    SslOnConnect,

    /// <summary>No TLS: only for a relay on the same host or a test server.</summary>
    None,
}
