using System.Text;
using Telehealth.Contracts.Devices;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Gateway.Mqtt.BrokerSync;

/// <summary>
/// The text of mosquitto's password file and ACL file for the registry's devices and the platform's own account.
/// Pure: the same accounts give the same ACL. Device ids are the registry's own (<c>dev-</c> + letters and digits), so
/// they need no escaping; anything else is left out rather than written into a file mosquitto parses line by line.
/// </summary>
public static class MosquittoSecurityFiles
{
    /// <summary>One <c>username:$7$…</c> line per account (mosquitto_passwd's format).</summary>
    public static string PasswordFile(IEnumerable<BrokerAccount> devices, string? serviceUser, string? servicePasswordHash)
    {
        var text = new StringBuilder();
        if (serviceUser is not null && servicePasswordHash is not null)
        {
            text.Append(serviceUser).Append(':').Append(servicePasswordHash).Append('\n');
        }
        foreach (var device in devices.Where(d => IsSafeName(d.DeviceId) && d.DeviceId != serviceUser))
        {
            text.Append(device.DeviceId).Append(':').Append(device.MosquittoPasswordHash).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>
    /// Each device may write only its own three channels and read only under its own id; the platform's account reads
    /// every device's channels (its shared subscription is checked without the <c>$share/group/</c> prefix). Users not
    /// listed (a revoked device still connected for a moment) get nothing: mosquitto denies what no rule allows.
    /// </summary>
    public static string AclFile(IEnumerable<BrokerAccount> devices, string? serviceUser)
    {
        var text = new StringBuilder("# Written by the telehealth platform from its device registry; edits are overwritten.\n");
        if (serviceUser is not null)
        {
            text.Append("\nuser ").Append(serviceUser).Append('\n')
                .Append("topic read ").Append(DeviceTopics.AllDevicesFilter).Append('\n');
        }
        foreach (var device in devices.Where(d => IsSafeName(d.DeviceId) && d.DeviceId != serviceUser))
        {
            var id = device.DeviceId;
            text.Append("\nuser ").Append(id).Append('\n')
                .Append("topic write ").Append(DeviceTopics.Readings(id)).Append('\n')
                .Append("topic write ").Append(DeviceTopics.Events(id)).Append('\n')
                .Append("topic write ").Append(DeviceTopics.Status(id)).Append('\n')
                .Append("topic read ").Append(DeviceTopics.Prefix).Append(id).Append("/#\n");
        }
        return text.ToString();
    }

    // Letters, digits and '-' only: no ':', '#', '+', '/', whitespace or line breaks can reach either file.
    private static bool IsSafeName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
}
