using Telehealth.Simulation.Serial;

namespace Telehealth.Tests.Serial;

public sealed class SerialSimArgumentsTests
{
    [Fact]
    public void Port_format_scenario_speed_and_faults_are_read()
    {
        var (options, problems, _) = SerialSimArguments.Parse(["--port", "/tmp/a", "--format", "cms50-v46", "--scenario", "finger-out",
            "--speed", "10", "--seconds", "60", "--start-second", "30", "--corrupt", "0.01", "--truncate", "0.02", "--garbage", "0.03", "--seed", "7"]);

        Assert.Empty(problems);
        Assert.Equal(("/tmp/a", SerialDeviceFormat.Cms50V46, SerialScenario.FingerOut), (options!.PortPath, options.Format, options.Scenario));
        Assert.Equal((10.0, (int?)60, 30, 7), (options.Speed, options.Seconds, options.StartSecond, options.Seed));
        Assert.Equal(new SerialFaults { Corrupt = 0.01, Truncate = 0.02, Garbage = 0.03 }, options.Faults);
    }

    [Theory]
    [InlineData(new[] { "--port", "/tmp/a", "--format", "nonin2" }, "--format must be one of nonin8, cms50-legacy, cms50-v46, masimo, got 'nonin2'.")]
    [InlineData(new[] { "--port", "/tmp/a", "--format", "masimo", "--scenario", "asleep" }, "--scenario must be one of normal, desaturation, finger-out, probe-error, missing-values, low-battery, got 'asleep'.")]
    [InlineData(new[] { "--port", "/tmp/a", "--format", "masimo", "--garbage", "2" }, "--garbage must be a number from 0 to 1, got '2'.")]
    [InlineData(new[] { "--format", "masimo" }, "--port is required.")]
    [InlineData(new[] { "--port", "/tmp/a" }, "--format is required.")]
    public void A_wrong_flag_gives_one_line_naming_it(string[] args, string problem)
    {
        var (options, problems, _) = SerialSimArguments.Parse(args);

        Assert.Null(options);
        Assert.Equal([problem], problems);
    }

    [Theory]
    [InlineData(SerialScenario.Normal, 45, 97, 72)]
    [InlineData(SerialScenario.Desaturation, 29, 97, 72)]
    [InlineData(SerialScenario.Desaturation, 30, 96, 74)]
    [InlineData(SerialScenario.Desaturation, 500, 86, 94)]
    [InlineData(SerialScenario.FingerOut, 29, 97, 72)]
    [InlineData(SerialScenario.FingerOut, 30, null, null)]
    [InlineData(SerialScenario.MissingValues, 2, null, null)]
    [InlineData(SerialScenario.ProbeError, 0, null, null)]
    public void Scenarios_say_the_same_thing_every_time(SerialScenario scenario, int second, int? spo2, int? pulse)
    {
        var readout = SerialScenarios.At(scenario, second);

        Assert.Equal((spo2, pulse), (readout.Spo2, readout.Pulse));
    }
}
