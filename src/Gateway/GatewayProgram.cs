using System.Runtime.InteropServices;
using Telehealth.Gateway.Serial.Hosting;

namespace Telehealth.Gateway;

/// <summary>
/// Entry point of the Gateway as a process: today the serial bridge (<c>serial …</c>). Deliberately not a global
/// <c>Program</c>: Clinician.Web references this assembly, and its <c>Program</c> must stay the only one.
/// </summary>
public static class GatewayProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] != "serial")
        {
            await Console.Error.WriteLineAsync("Usage: Telehealth.Gateway serial --port PATH --format nonin8|cms50-legacy|cms50-v46|masimo --device DEVICE_ID --secret SECRET --broker HOST:PORT [options] (serial --help for more)");
            return 2;
        }
        using var stopping = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stopping.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopping.Cancel();
        });
        return await SerialBridgeCommand.RunAsync(args[1..], Console.Out, Console.Error, stopping.Token);
    }
}
