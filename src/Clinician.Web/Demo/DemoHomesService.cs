using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Telehealth.Clinician.Web.Auth;
using Telehealth.Gateway.Mqtt;
using Telehealth.Simulation;
using Telehealth.Simulation.Caseload;
using Telehealth.Simulation.Model;
using Telehealth.CareRecord.Staff;

namespace Telehealth.Clinician.Web.Demo;

/// <summary>
/// Demo mode: the admin account, a seeded caseload, and the simulated homes publishing to the embedded broker
/// over real MQTT with each device's own credentials — the same path a real device takes.
/// </summary>
public sealed partial class DemoHomesService(
    IOptions<DemoOptions> demoOptions,
    IOptions<AuthOptions> authOptions,
    IOptions<MqttOptions> mqttOptions,
    StaffDirectory staff,
    InProcessCaseloadProvisioner provisioner,
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggerFactory,
    ILogger<DemoHomesService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = demoOptions.Value;
        await WaitForStartAsync(stoppingToken);

        var password = demo.AdminPassword;
        var generated = string.IsNullOrEmpty(password);
        if (generated)
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)).Replace('+', 'x').Replace('/', 'y');
        }
        await staff.UpsertAsync(new StaffUser("admin", StaffRoles.Admin, authOptions.Value.DefaultTeamId), password!, stoppingToken);
        if (generated)
        {
            // Printed to the console, not the log: it is a demo credential for the person at the keyboard.
            Console.WriteLine();
            Console.WriteLine("  Demo staff sign-in:  username admin   password " + password);
            Console.WriteLine("  (set Demo:AdminPassword to choose your own)");
            Console.WriteLine();
        }

        var planned = new CaseloadFactory(demo.Seed).Plan(demo.Homes);
        var homes = new List<SimulatedHome>(planned.Count);
        foreach (var home in planned)
        {
            homes.Add(await provisioner.ProvisionAsync(home, stoppingToken));
        }
        LogSeeded(logger, homes.Count, homes.Sum(h => h.Devices.Count));

        if (mqttOptions.Value.Mode != MqttMode.Embedded)
        {
            LogNoSimulation(logger);
            return;
        }
        var broker = services.GetRequiredService<EmbeddedMqttBroker>();
        var options = new SimulationOptions
        {
            BrokerHost = mqttOptions.Value.Embedded.BindAddress,
            BrokerPort = broker.Port,
            ReadingInterval = demo.ReadingInterval,
            TimeAcceleration = demo.TimeAcceleration,
            Seed = demo.Seed,
        };
        await SimulationRunner.ForMqtt(options, loggerFactory).RunAsync(homes, stoppingToken);
    }

    private async Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo caseload ready: {Homes} homes with {Devices} devices")]
    private static partial void LogSeeded(ILogger logger, int homes, int devices);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo homes are simulated only on the embedded broker; with an external broker, run device-sim against it")]
    private static partial void LogNoSimulation(ILogger logger);
}
