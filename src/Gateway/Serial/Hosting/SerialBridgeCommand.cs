using Microsoft.Extensions.Logging;

namespace Telehealth.Gateway.Serial.Hosting;

/// <summary>The <c>serial</c> command: parse, validate, run the bridge until Ctrl+C or SIGTERM. Exit 2 on a bad flag.</summary>
public static class SerialBridgeCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var (options, problems, showHelp) = SerialBridgeArguments.Parse(args);
        if (showHelp)
        {
            await output.WriteLineAsync(SerialBridgeArguments.Usage).ConfigureAwait(false);
            return 0;
        }
        if (options is null)
        {
            foreach (var problem in problems)
            {
                await error.WriteLineAsync("serial: " + problem).ConfigureAwait(false);
            }
            return 2;
        }
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        }));
        try
        {
            await new SerialBridge(options, loggerFactory).RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (IOException exception)
        {
            // Typically a second bridge for the same device: the spool is locked.
            await error.WriteLineAsync($"serial: cannot use the spool in '{options.SpoolDirectory}' for {options.DeviceId}: {exception.Message}").ConfigureAwait(false);
            return 1;
        }
    }
}
