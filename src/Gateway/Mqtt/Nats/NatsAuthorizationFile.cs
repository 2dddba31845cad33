using System.Text;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Gateway.Mqtt.Nats;

/// <summary>
/// The text of nats-server's authorization block for the registry's devices and the platform's own user. Pure: the
/// same accounts give the same file. Device ids are the registry's own (<c>dev-</c> + letters and digits); anything
/// else, and any device without a bcrypt hash, is left out rather than written into a file nats-server parses.
/// </summary>
public static class NatsAuthorizationFile
{
    /// <summary>
    /// Each device may publish only on its own three channels and subscribe only under its own id; nats-server refuses
    /// (and logs a "Publish Violation" for) anything else, so a device cannot publish under another device's id. The
    /// platform's user has no restriction: it needs the JetStream API, acknowledgements and its reply inboxes.
    /// </summary>
    public static string Write(IEnumerable<BrokerAccount> devices, string? serviceUser, string? servicePasswordHash)
    {
        var text = new StringBuilder("# Written by the telehealth platform from its device registry; edits are overwritten.\nauthorization {\n  users = [\n");
        if (serviceUser is not null && servicePasswordHash is not null && IsSafeName(serviceUser))
        {
            text.Append("    { user: \"").Append(serviceUser).Append("\", password: \"").Append(servicePasswordHash).Append("\" }\n");
        }
        foreach (var device in devices.Where(d => IsSafeName(d.DeviceId) && d.DeviceId != serviceUser && IsBcrypt(d.NatsPasswordHash)))
        {
            var id = device.DeviceId;
            text.Append("    { user: \"").Append(id).Append("\", password: \"").Append(device.NatsPasswordHash).Append("\", permissions: {")
                .Append(" publish: { allow: [")
                .AppendJoin(", ", NatsDeviceSubjects.PublishableBy(id).Select(s => $"\"{s}\""))
                .Append("] }, subscribe: { allow: [\"").Append(NatsDeviceSubjects.OwnedBy(id)).Append("\"] } } }\n");
        }
        return text.Append("  ]\n}\n").ToString();
    }

    // Letters, digits, '-' and '_' only: nothing that could end a quoted string or start a new config entry.
    private static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    // bcrypt's alphabet: '$', '.', '/', letters and digits.
    private static bool IsBcrypt(string? hash) =>
        hash is { Length: 60 } && hash.StartsWith("$2", StringComparison.Ordinal) && hash.All(c => char.IsAsciiLetterOrDigit(c) || c is '$' or '.' or '/');
}
