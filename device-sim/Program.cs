using Microsoft.Extensions.Logging;
using Telehealth.Simulation;
using Telehealth.Simulation.Caseload;
using Telehealth.Simulation.CommandLine;
using Telehealth.Simulation.Model;
using Telehealth.Simulation.Provisioning;
using Telehealth.Simulation.Serial;

// device-sim serial …: one serial oximeter, byte for byte, on a serial port (docs/device-api.md, "Serial bridge").
if (args.Length > 0 && args[0] == "serial")
{
    using var serialLogging = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
    using var serialStopping = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        serialStopping.Cancel();
    };
    return await SerialSimCommand.RunAsync(args[1..], serialLogging, serialStopping.Token);
}

// device-sim: provision (or load) a caseload of simulated homes, then run them against the broker.
var arguments = DeviceSimArguments.Parse(args);
if (arguments.ShowHelp)
{
    Console.WriteLine(DeviceSimArguments.Usage);
    return 0;
}
if (arguments.Problems.Count > 0)
{
    foreach (var problem in arguments.Problems)
    {
        Console.Error.WriteLine(problem);
    }
    Console.Error.WriteLine("Run with --help for usage.");
    return 2;
}

using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true));
var logger = loggerFactory.CreateLogger("device-sim");
using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};
if (arguments.DurationSeconds is { } duration)
{
    stopping.CancelAfter(TimeSpan.FromSeconds(duration));
}

var caseload = new CaseloadFactory(arguments.Seed);
IReadOnlyList<SimulatedHome> homes;
try
{
    homes = arguments.DevicesFile is { } devicesFile
        ? DevicesFile.Parse(await File.ReadAllTextAsync(devicesFile, stopping.Token), caseload)
        : await ProvisionAsync(arguments, caseload, stopping.Token);
}
catch (Exception exception) when (exception is ProvisioningException or FormatException or IOException or HttpRequestException)
{
    Console.Error.WriteLine(exception.Message);
    return 1;
}
if (arguments.SaveFile is { } saveFile)
{
    await File.WriteAllTextAsync(saveFile, DevicesFile.Serialize(homes), CancellationToken.None);
}

logger.LogInformation("Running {HomeCount} homes against {Host}:{Port}", homes.Count, arguments.BrokerHost, arguments.BrokerPort);
await SimulationRunner.ForMqtt(arguments.ToSimulationOptions(), loggerFactory).RunAsync(homes, stopping.Token);
return 0;

static async Task<IReadOnlyList<SimulatedHome>> ProvisionAsync(DeviceSimArguments arguments, CaseloadFactory caseload, CancellationToken cancellationToken)
{
    // A trailing slash makes the relative "api/..." paths resolve under any base path.
    using var http = new HttpClient { BaseAddress = new Uri(arguments.Api!.ToString().TrimEnd('/') + "/") };
    var provisioner = await HttpCaseloadProvisioner.SignInAsync(http, arguments.User!, arguments.Password!, cancellationToken);
    var homes = new List<SimulatedHome>();
    foreach (var planned in caseload.Plan(arguments.Homes))
    {
        homes.Add(await provisioner.ProvisionAsync(planned, cancellationToken));
    }
    return homes;
}
