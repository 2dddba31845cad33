using System.Buffers;
using System.Text;
using MQTTnet;
using Telehealth.Contracts.Devices;
using Telehealth.Simulation;
using Telehealth.Simulation.Model;
using Telehealth.Simulation.Transports;
using Telehealth.Simulation.Transports.Mqtt;

namespace Telehealth.Tests.Simulation;

/// <summary>The MQTTnet transport against a real mosquitto that checks each device's credentials.</summary>
public sealed class MqttDeviceTransportTests : IAsyncLifetime
{
    private static readonly SimulatedDevice Device = new("dev-mq1", "right-secret", SimulatedDeviceType.PulseOximeter);
    private MosquittoBroker _broker = null!;

    public async Task InitializeAsync() =>
        _broker = await MosquittoBroker.StartAsync(new Dictionary<string, string> { [Device.DeviceId] = Device.Secret, ["listener"] = "listener-secret" });

    public async Task DisposeAsync() => await _broker.DisposeAsync();

    private SimulationOptions Options(MqttProtocolLevel protocol, int? port = null) =>
        new() { BrokerHost = "127.0.0.1", BrokerPort = port ?? _broker.Port, Protocol = protocol, ConnectTimeout = TimeSpan.FromSeconds(5) };

    [Theory]
    [InlineData(MqttProtocolLevel.V500, true)]
    [InlineData(MqttProtocolLevel.V311, true)]
    [InlineData(MqttProtocolLevel.V500, false)]
    [InlineData(MqttProtocolLevel.V311, false)]
    public async Task A_device_with_its_own_credentials_publishes_and_the_broker_delivers_it(MqttProtocolLevel protocol, bool atLeastOnce)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var listener = new MqttClientFactory().CreateMqttClient();
        var received = new TaskCompletionSource<MqttApplicationMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        listener.ApplicationMessageReceivedAsync += e =>
        {
            received.TrySetResult(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        var listenerOptions = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _broker.Port).WithClientId("listener").WithCredentials("listener", "listener-secret").Build();
        Assert.Equal(MqttClientConnectResultCode.Success, (await listener.ConnectAsync(listenerOptions, timeout.Token)).ResultCode);
        await listener.SubscribeAsync(DeviceTopics.AllDevicesFilter, MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token);

        await using var transport = new MqttDeviceTransportFactory(Options(protocol)).Create(Device);
        var payload = Encoding.UTF8.GetBytes("""[{"bn":"urn:dev:id:dev-mq1:","bt":1795000000.123,"n":"spo2","u":"%","v":97}]""");

        Assert.Equal(ConnectOutcome.Connected, await transport.ConnectAsync(timeout.Token));
        Assert.Equal(PublishOutcome.Delivered, await transport.PublishAsync(new DeviceMessage(DeviceTopics.Readings(Device.DeviceId), payload, atLeastOnce), timeout.Token));
        var message = await received.Task.WaitAsync(timeout.Token);
        await transport.DisconnectAsync(timeout.Token);

        Assert.Equal(DeviceTopics.Readings(Device.DeviceId), message.Topic);
        Assert.Equal(payload, message.Payload.ToArray());
        Assert.False(transport.IsConnected);
    }

    [Theory]
    [InlineData(MqttProtocolLevel.V500)]
    [InlineData(MqttProtocolLevel.V311)]
    public async Task A_wrong_secret_is_refused_without_an_exception(MqttProtocolLevel protocol)
    {
        await using var transport = new MqttDeviceTransportFactory(Options(protocol)).Create(Device with { Secret = "wrong" });

        Assert.Equal(ConnectOutcome.Refused, await transport.ConnectAsync(CancellationToken.None));
        Assert.False(transport.IsConnected);
        Assert.Equal(PublishOutcome.NotConnected, await transport.PublishAsync(new DeviceMessage("t", new byte[] { 1 }, true), CancellationToken.None));
    }

    [Fact]
    public async Task No_broker_listening_is_unreachable()
    {
        await using var transport = new MqttDeviceTransportFactory(Options(MqttProtocolLevel.V500, MosquittoBroker.FreePort())).Create(Device);

        Assert.Equal(ConnectOutcome.Unreachable, await transport.ConnectAsync(CancellationToken.None));
    }
}
