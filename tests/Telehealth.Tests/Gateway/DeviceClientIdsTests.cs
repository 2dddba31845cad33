using Telehealth.Gateway.Mqtt.Sessions;

namespace Telehealth.Tests.Gateway;

public sealed class DeviceClientIdsTests
{
    private const string Device = "dev-abcdefghjk";

    [Theory]
    [InlineData("dev-abcdefghjk", true)]
    [InlineData("dev-abcdefghjk-1", true)]
    [InlineData("dev-abcdefghjk-events", true)]
    [InlineData("dev-abcdefghjk-bench", true)]
    [InlineData("dev-abcdefghjk-a1b2c3", true)]
    [InlineData("dev-abcdefghjk-Kitchen_Hub-2", true)]
    [InlineData("dev-abcdefghjk-", false)]
    [InlineData("dev-abcdefghjk1", false)]
    [InlineData("dev-abcdefghj", false)]
    [InlineData("dev-zzzzzzzzzz-1", false)]
    [InlineData("dev-abcdefghjk-1/2", false)]
    [InlineData("dev-abcdefghjk-a b", false)]
    [InlineData("dev-abcdefghjk-\n", false)]
    [InlineData("dev-abcdefghjk-é", false)]
    [InlineData("DEV-ABCDEFGHJK-1", false)]
    [InlineData("my-oximeter", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_client_id_belongs_only_to_its_own_device(string? clientId, bool belongs)
    {
        Assert.Equal(belongs, DeviceClientIds.BelongsTo(clientId, Device));
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void The_suffix_length_is_bounded(int suffixLength, bool belongs)
    {
        Assert.Equal(belongs, DeviceClientIds.BelongsTo($"{Device}-{new string('a', suffixLength)}", Device));
    }

    [Fact]
    public void Another_devices_ids_never_belong_even_when_one_id_prefixes_the_other()
    {
        // Real ids have no dash after "dev-"; this pins that a dash is required between id and suffix.
        Assert.False(DeviceClientIds.BelongsTo("dev-abcdefghjkx", Device));
        Assert.False(DeviceClientIds.BelongsTo(Device, "dev-abcdefghjkx"));
    }

    [Fact]
    public void An_assigned_id_belongs_to_its_device_and_is_new_each_time()
    {
        var first = DeviceClientIds.Assign(Device);
        var second = DeviceClientIds.Assign(Device);

        Assert.True(DeviceClientIds.BelongsTo(first, Device));
        Assert.True(DeviceClientIds.BelongsTo(second, Device));
        Assert.NotEqual(first, second);
    }
}
