using Microsoft.Extensions.Logging;

namespace Telehealth.Simulation.Serial;

/// <summary><c>device-sim serial …</c>: parse, then emulate the device until done or cancelled. Exit 2 on a bad flag.</summary>
public static class SerialSimCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var (options, problems, showHelp) = SerialSimArguments.Parse(args);
        if (showHelp)
        {
            Console.WriteLine(SerialSimArguments.Usage);
            return 0;
        }
        if (options is null)
        {
            foreach (var problem in problems)
            {
                await Console.Error.WriteLineAsync("device-sim serial: " + problem).ConfigureAwait(false);
            }
            return 2;
        }
        var emulator = new SerialDeviceEmulator(options, TimeProvider.System, loggerFactory.CreateLogger("device-sim.serial"));
        try
        {
            await emulator.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C or --duration: a normal end.
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"device-sim serial: port {options.PortPath}: {exception.Message}").ConfigureAwait(false);
            return 1;
        }
        return 0;
    }
}
