using Telehealth.Gateway.Mqtt.BrokerSync;
using Telehealth.CareRecord.Devices;

namespace Telehealth.Tests.Devices;

public sealed class MosquittoSecurityFilesTests
{
    private static readonly BrokerAccount[] Accounts =
    [
        new("dev-abc2345678", "$7$101$c2FsdA==$aGFzaA=="),
        new("dev-x:evil\nuser admin", "$7$101$eA==$eQ=="), // never from the registry; must not reach either file
    ];

    [Fact]
    public void Password_file_has_one_mosquitto_passwd_line_per_safe_account()
    {
        var text = MosquittoSecurityFiles.PasswordFile(Accounts, "telehealth-ingest", "$7$101$cw==$aA==");

        Assert.Equal("telehealth-ingest:$7$101$cw==$aA==\ndev-abc2345678:$7$101$c2FsdA==$aGFzaA==\n", text);
    }

    [Fact]
    public void Acl_lets_each_device_write_only_its_own_three_topics_and_the_platform_read_all_device_channels()
    {
        var text = MosquittoSecurityFiles.AclFile(Accounts, "telehealth-ingest");

        Assert.Equal(
            """
            # Written by the telehealth platform from its device registry; edits are overwritten.

            user telehealth-ingest
            topic read telehealth/v1/devices/+/+

            user dev-abc2345678
            topic write telehealth/v1/devices/dev-abc2345678/readings
            topic write telehealth/v1/devices/dev-abc2345678/events
            topic write telehealth/v1/devices/dev-abc2345678/status
            topic read telehealth/v1/devices/dev-abc2345678/#

            """.ReplaceLineEndings("\n"),
            text);
    }
}
