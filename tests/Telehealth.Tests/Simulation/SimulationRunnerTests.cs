using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Telehealth.Contracts.Devices;
using Telehealth.Simulation;
using Telehealth.Simulation.Model;
using Telehealth.Simulation.Payloads;
using Telehealth.Simulation.Transports;

namespace Telehealth.Tests.Simulation;

public sealed class SimulationRunnerTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RunLimit = TimeSpan.FromSeconds(10);

    private static SimulationOptions Options(double acceleration = 1) => new()
    {
        ReadingInterval = Interval,
        HeartbeatInterval = TimeSpan.FromSeconds(60),
        TimeAcceleration = acceleration,
        Seed = 42,
        ReconnectInitialDelay = TimeSpan.FromSeconds(1),
        ReconnectMaxDelay = TimeSpan.FromSeconds(30),
    };

    private static SimulationRunner Runner(SimulationOptions options, FakeDeviceTransportFactory transports, TimeProvider time) =>
        new(options, transports, time, NullLogger<SimulationRunner>.Instance);

    [Fact]
    public async Task Each_device_connects_with_its_own_credentials_on_its_own_transport()
    {
        var devices = new[]
        {
            new SimulatedDevice("dev-ox", "secret-ox", SimulatedDeviceType.PulseOximeter),
            new SimulatedDevice("dev-bp", "secret-bp", SimulatedDeviceType.BloodPressureMonitor),
            new SimulatedDevice("dev-pend", "secret-pend", SimulatedDeviceType.PendantAlarm),
        };
        var time = new SignallingTimeProvider(Start);
        var transports = new FakeDeviceTransportFactory();
        using var stop = new CancellationTokenSource();

        var run = Runner(Options(), transports, time).RunAsync([SimulationTestData.Home(ScenarioKind.Stable, devices)], stop.Token);
        await time.WaitUntilIdleAsync(devices.Length);

        Assert.Equal(devices.OrderBy(d => d.DeviceId), transports.Created.Values.Select(t => t.Device).OrderBy(d => d.DeviceId));
        Assert.All(transports.Created.Values, t => Assert.Equal(1, t.ConnectAttempts));
        stop.Cancel();
        await run.WaitAsync(RunLimit);
    }

    [Fact]
    public async Task Stopping_while_a_publish_waits_for_its_acknowledgement_ends_the_run_quietly_whatever_the_client_throws()
    {
        // The demo stops its homes as the embedded broker stops: a publish then waiting for its PUBACK can fail with
        // MQTTnet's own timeout instead of a cancellation, which used to end the demo service as "failed".
        var oximeter = SimulationTestData.Device(SimulatedDeviceType.PulseOximeter, "dev-ox");
        var time = new SignallingTimeProvider(Start);
        var transports = new FakeDeviceTransportFactory();
        var transport = transports.Prepare(oximeter);
        var held = transport.HoldPublishes();
        using var stop = new CancellationTokenSource();

        var run = Runner(Options(), transports, time).RunAsync([SimulationTestData.Home(ScenarioKind.Stable, oximeter)], stop.Token);
        await time.WaitUntilIdleAsync();
        time.Advance(Interval);
        await held.WaitAsync(RunLimit);
        stop.Cancel();

        await run.WaitAsync(RunLimit);
        Assert.Single(transport.Attempted);
        Assert.Empty(transport.Delivered);
        Assert.Equal((1, true), (transport.DisconnectCalls, transport.Disposed));
    }

    [Fact]
    public async Task A_device_measures_every_interval_and_sends_a_heartbeat_every_minute()
    {
        var oximeter = SimulationTestData.Device(SimulatedDeviceType.PulseOximeter, "dev-ox");
        var time = new SignallingTimeProvider(Start);
        var transports = new FakeDeviceTransportFactory();
        var transport = transports.Prepare(oximeter);
        using var stop = new CancellationTokenSource();

        var run = Runner(Options(), transports, time).RunAsync([SimulationTestData.Home(ScenarioKind.Stable, oximeter)], stop.Token);
        await time.WaitUntilIdleAsync();
        Assert.Empty(transport.Delivered); // the first measurement is staggered into the interval
        for (var tick = 0; tick < 7; tick++)
        {
            await time.AdvanceAndSettleAsync(Interval);
        }

        var delivered = transport.Delivered;
        var readings = delivered.Where(m => m.Topic == DeviceTopics.Readings("dev-ox")).ToList();
        var heartbeats = delivered.Where(m => m.Topic == DeviceTopics.Status("dev-ox")).ToList();
        Assert.Equal(9, delivered.Count);
        Assert.Equal(7, readings.Count);
        Assert.Equal(2, heartbeats.Count);
        Assert.All(readings, m => Assert.True(m.AtLeastOnce));
        Assert.All(heartbeats, m => Assert.False(m.AtLeastOnce));
        var times = readings.Select(m => TimeOf(m, "bt", first: true)).ToList();
        Assert.All(times.Zip(times.Skip(1)), pair => Assert.Equal(10m, pair.Second - pair.First));
        Assert.Equal(60m, TimeOf(heartbeats[1], "t") - TimeOf(heartbeats[0], "t"));
        stop.Cancel();
        await run.WaitAsync(RunLimit);
    }

    [Fact]
    public async Task After_the_broker_drops_a_device_backs_off_reconnects_and_sends_what_it_held_in_order()
    {
        var oximeter = SimulationTestData.Device(SimulatedDeviceType.PulseOximeter, "dev-ox");
        var time = new SignallingTimeProvider(Start);
        var transports = new FakeDeviceTransportFactory();
        var transport = transports.Prepare(oximeter);
        using var stop = new CancellationTokenSource();
        var run = Runner(Options(), transports, time).RunAsync([SimulationTestData.Home(ScenarioKind.Stable, oximeter)], stop.Token);
        await time.WaitUntilIdleAsync();
        await time.AdvanceAndSettleAsync(Interval); // first reading and heartbeat delivered
        Assert.Equal(2, transport.Delivered.Count);

        transport.Drop();
        transport.ConnectOutcomes.Enqueue(ConnectOutcome.Unreachable);
        transport.ConnectOutcomes.Enqueue(ConnectOutcome.Refused);
        await time.AdvanceAndSettleAsync(Interval);           // measures, finds the broker gone, first retry fails
        Assert.Equal(2, transport.ConnectAttempts);
        await time.AdvanceAndSettleAsync(TimeSpan.FromSeconds(1.3)); // after 1 s ± 20%: refused
        Assert.Equal(3, transport.ConnectAttempts);
        time.Advance(TimeSpan.FromSeconds(1.3));                  // 2 s ± 20% not yet over: nothing wakes
        Assert.Equal(3, transport.ConnectAttempts);
        Assert.Equal(2, transport.Delivered.Count);
        await time.AdvanceAndSettleAsync(TimeSpan.FromSeconds(1.3)); // connects and sends the held reading
        Assert.Equal(4, transport.ConnectAttempts);

        var delivered = transport.Delivered;
        Assert.Equal(3, delivered.Count);
        Assert.Equal(DeviceTopics.Readings("dev-ox"), delivered[2].Topic);
        // The held reading keeps the time it was measured, ten seconds after the first, not the time it was sent.
        Assert.Equal(10m, TimeOf(delivered[2], "bt", first: true) - TimeOf(delivered[0], "bt", first: true));
        stop.Cancel();
        await run.WaitAsync(RunLimit);
    }

    [Fact]
    public async Task A_message_the_broker_rejects_is_dropped_not_resent()
    {
        var thermometer = SimulationTestData.Device(SimulatedDeviceType.Thermometer, "dev-th");
        var time = new SignallingTimeProvider(Start);
        var transports = new FakeDeviceTransportFactory();
        var transport = transports.Prepare(thermometer);
        transport.PublishOutcomes.Enqueue(PublishOutcome.Rejected);
        using var stop = new CancellationTokenSource();
        var run = Runner(Options(), transports, time).RunAsync([SimulationTestData.Home(ScenarioKind.Stable, thermometer)], stop.Token);
        await time.WaitUntilIdleAsync();

        await time.AdvanceAndSettleAsync(Interval);
        await time.AdvanceAndSettleAsync(Interval);

        Assert.Equal(["readings", "status", "readings"], transport.Attempted.Select(Channel));
        Assert.Equal(["status", "readings"], transport.Delivered.Select(Channel));
        stop.Cancel();
        await run.WaitAsync(RunLimit);
    }

    [Fact]
    public async Task A_fall_detector_sends_the_scripted_events_with_the_times_they_happened()
    {
        // At 60x, the fall scripted at 120 s of scenario time happens 2 s after the start, inactivity 5 scenario
        // minutes later at 7 s.
        var detector = SimulationTestData.Device(SimulatedDeviceType.FallDetector, "dev-fall");
        var home = new SimulatedHome("p1", "home-001", [detector], SimulationTestData.Scenario(ScenarioKind.FallThenInactivity, onsetSeconds: 120));
        var time = new SignallingTimeProvider(Start);
        var transports = new FakeDeviceTransportFactory();
        var transport = transports.Prepare(detector);
        using var stop = new CancellationTokenSource();
        var run = Runner(Options(acceleration: 60), transports, time).RunAsync([home], stop.Token);
        await time.WaitUntilIdleAsync();

        for (var tick = 0; tick < 3; tick++)
        {
            await time.AdvanceAndSettleAsync(Interval);
        }

        var events = transport.Delivered.Where(m => m.Topic == DeviceTopics.Events("dev-fall")).Select(m => Encoding.UTF8.GetString(m.Payload.Span));
        Assert.Equal(
        [
            Encoding.UTF8.GetString(DevicePayloadWriter.Event(Telehealth.Contracts.Events.TelecareEventType.FallDetected, Start.AddSeconds(2))),
            Encoding.UTF8.GetString(DevicePayloadWriter.Event(Telehealth.Contracts.Events.TelecareEventType.Inactivity, Start.AddSeconds(7))),
        ], events);
        Assert.DoesNotContain(transport.Delivered, m => m.Topic == DeviceTopics.Readings("dev-fall"));
        stop.Cancel();
        await run.WaitAsync(RunLimit);
    }

    [Fact]
    public async Task Cancelling_stops_every_device_disconnects_it_and_completes_without_throwing()
    {
        var devices = new[]
        {
            SimulationTestData.Device(SimulatedDeviceType.PulseOximeter, "dev-1"),
            SimulationTestData.Device(SimulatedDeviceType.Thermometer, "dev-2"),
        };
        var time = new SignallingTimeProvider(Start);
        var transports = new FakeDeviceTransportFactory();
        using var stop = new CancellationTokenSource();
        var run = Runner(Options(), transports, time).RunAsync([SimulationTestData.Home(ScenarioKind.Stable, devices)], stop.Token);
        await time.WaitUntilIdleAsync(2);

        stop.Cancel();
        await run.WaitAsync(RunLimit);

        Assert.True(run.IsCompletedSuccessfully);
        Assert.All(transports.Created.Values, t => Assert.Equal(1, t.DisconnectCalls));
        Assert.All(transports.Created.Values, t => Assert.True(t.Disposed));
    }

    [Fact]
    public void Invalid_options_are_refused_with_every_problem_named()
    {
        var options = new SimulationOptions
        {
            BrokerPort = 0,
            ReadingInterval = TimeSpan.Zero,
            TimeAcceleration = 0,
            ReconnectInitialDelay = TimeSpan.FromSeconds(5),
            ReconnectMaxDelay = TimeSpan.FromSeconds(1),
        };

        Assert.Equal(4, options.Problems().Count);
        var exception = Assert.Throws<ArgumentException>(() => Runner(options, new FakeDeviceTransportFactory(), TimeProvider.System));
        Assert.Contains("ReadingInterval", exception.Message);
        Assert.Contains("ReconnectMaxDelay", exception.Message);
    }

    private static string Channel(DeviceMessage message) => message.Topic[(message.Topic.LastIndexOf('/') + 1)..];

    private static decimal TimeOf(DeviceMessage message, string property, bool first = false)
    {
        using var document = JsonDocument.Parse(message.Payload);
        var element = first ? document.RootElement[0] : document.RootElement;
        return element.GetProperty(property).GetDecimal();
    }
}
