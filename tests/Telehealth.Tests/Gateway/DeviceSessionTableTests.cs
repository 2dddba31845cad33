using Telehealth.Gateway.Mqtt.Sessions;

namespace Telehealth.Tests.Gateway;

public sealed class DeviceSessionTableTests
{
    [Fact]
    public void A_device_holds_at_most_the_limit_of_client_ids()
    {
        var table = new DeviceSessionTable(maxSessionsPerDevice: 2);

        var results = new[] { "a", "b", "c" }.Select(id => table.TryBind("dev-1", "dev-1-" + id, new object())).ToArray();

        Assert.Equal([SessionBindResult.Bound, SessionBindResult.Bound, SessionBindResult.TooManySessions], results);
        Assert.Equal(2, table.CountFor("dev-1"));
        Assert.Equal(SessionBindResult.Bound, table.TryBind("dev-2", "dev-2-a", new object()));
    }

    [Fact]
    public void Reconnecting_with_a_held_client_id_replaces_the_old_connection_without_counting_twice()
    {
        var table = new DeviceSessionTable(maxSessionsPerDevice: 1);
        var old = new object();
        var successor = new object();
        table.TryBind("dev-1", "dev-1-a", old);

        var replaced = table.TryBind("dev-1", "dev-1-a", successor);
        table.Release("dev-1", "dev-1-a", old);

        Assert.Equal(SessionBindResult.Replaced, replaced);
        Assert.Equal(1, table.CountFor("dev-1"));
        Assert.Equal(SessionBindResult.TooManySessions, table.TryBind("dev-1", "dev-1-b", new object()));
    }

    [Fact]
    public void Releasing_frees_the_slot_for_a_new_client_id()
    {
        var table = new DeviceSessionTable(maxSessionsPerDevice: 1);
        var connection = new object();
        table.TryBind("dev-1", "dev-1-a", connection);

        table.Release("dev-1", "dev-1-a", connection);

        Assert.Equal(0, table.CountFor("dev-1"));
        Assert.Equal(SessionBindResult.Bound, table.TryBind("dev-1", "dev-1-b", new object()));
    }
}
