using Telehealth.CareRecord.Devices;
using Telehealth.Gateway.Mqtt.Nats;
using Telehealth.Contracts.Devices;

namespace Telehealth.Tests.Devices;

public sealed class NatsAuthorizationFileTests
{
    private const string Hash = "$2a$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234"; // 60 characters, bcrypt alphabet

    [Fact]
    public void Each_device_may_publish_only_its_own_three_channels_and_the_platform_user_is_unrestricted()
    {
        var text = NatsAuthorizationFile.Write([new BrokerAccount("dev-abc2345678", "$7$x", Hash)], "telehealth-ingest", Hash);

        Assert.Equal(
            """
            # Written by the telehealth platform from its device registry; edits are overwritten.
            authorization {
              users = [
                { user: "telehealth-ingest", password: "$2a$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234" }
                { user: "dev-abc2345678", password: "$2a$04$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234", permissions: { publish: { allow: ["telehealth.v1.devices.dev-abc2345678.readings", "telehealth.v1.devices.dev-abc2345678.events", "telehealth.v1.devices.dev-abc2345678.status"] }, subscribe: { allow: ["telehealth.v1.devices.dev-abc2345678.>"] } } }
              ]
            }

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Theory]
    [InlineData("dev-x\", password: \"x\" }\n{ user: \"admin", Hash)] // never from the registry; must not reach the file
    [InlineData("dev-nohash", null)] // registered before the nats_hash column: needs a rotation first
    [InlineData("dev-plain", "secret-in-plain-text")] // not bcrypt: nats-server would compare it as plain text
    [InlineData("telehealth-ingest", Hash)] // a device may never take the platform's name
    public void Accounts_that_could_not_be_written_safely_are_left_out(string deviceId, string? natsHash)
    {
        var text = NatsAuthorizationFile.Write([new BrokerAccount(deviceId, "$7$x", natsHash)], "telehealth-ingest", Hash);

        Assert.Equal(1, text.Split('\n').Count(line => line.Contains("user:", StringComparison.Ordinal)));
        Assert.DoesNotContain("permissions", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_device_secret_hash_is_bcrypt_that_nats_server_accepts_and_it_verifies()
    {
        var hash = NatsPasswordHash.Create("s3cret");

        Assert.StartsWith("$2a$04$", hash, StringComparison.Ordinal);
        Assert.Equal(60, hash.Length);
        Assert.True(NatsPasswordHash.Verify("s3cret", hash));
        Assert.False(NatsPasswordHash.Verify("s3cret!", hash));
    }
}
