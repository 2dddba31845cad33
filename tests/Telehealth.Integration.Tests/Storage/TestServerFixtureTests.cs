using System.Net.Sockets;
using Telehealth.TestSupport;

namespace Telehealth.Integration.Tests.Storage;

/// <summary>The server fixtures other integration tests rely on: ports, restart, authentication.</summary>
public sealed class TestServerFixtureTests
{
    [Fact]
    public async Task Mosquitto_restarts_on_the_same_port()
    {
        var server = new MosquittoServer();
        await server.InitializeAsync();
        try
        {
            var port = server.Port;
            Assert.True(await AcceptsAsync(server.Host, port));

            await server.StopAsync(graceful: true);
            Assert.False(server.IsRunning);
            Assert.False(await AcceptsAsync(server.Host, port));

            await server.StartAsync();
            Assert.Equal(port, server.Port);
            Assert.True(await AcceptsAsync(server.Host, port), server.OutputTail);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    /// <summary>mosquitto_pub exits 0 when the broker accepts it; with QoS 1 an ACL denial is silent under MQTT 3.1.1, so only connect is checked here.</summary>
    [Theory]
    [InlineData("dev-a", "secret-a", true)]
    [InlineData("dev-a", "wrong", false)]
    [InlineData("nobody", "secret-a", false)]
    public async Task Mosquitto_with_users_refuses_bad_credentials(string user, string password, bool accepted)
    {
        var server = new MosquittoServer(new MosquittoServerOptions
        {
            AllowAnonymous = false,
            Users = new Dictionary<string, string> { ["dev-a"] = "secret-a", ["ingest"] = "secret-i" },
            ServiceUsers = ["ingest"],
        });
        await server.InitializeAsync();
        try
        {
            await using var publish = ManagedProcess.Start("/usr/bin/mosquitto_pub",
                ["-h", server.Host, "-p", server.Port.ToString(), "-i", "probe", "-u", user, "-P", password, "-t", "telehealth/v1/devices/dev-a/readings", "-m", "{}", "-q", "1"]);
            await publish.WaitForExitAsync();

            Assert.Equal(accepted, publish.ExitCode == 0);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    private static async Task<bool> AcceptsAsync(string host, int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
