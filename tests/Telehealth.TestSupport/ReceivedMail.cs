using MimeKit;

namespace Telehealth.TestSupport;

/// <summary>One message as the test SMTP server accepted it: the envelope and the parsed message.</summary>
public sealed record ReceivedMail(string MailFrom, IReadOnlyList<string> Recipients, MimeMessage Message);
