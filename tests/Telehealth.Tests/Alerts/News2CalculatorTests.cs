using Telehealth.CareRecord.News2;

namespace Telehealth.Tests.Alerts;

public sealed class News2CalculatorTests
{
    private static readonly News2Scale[] BothScales = [News2Scale.Scale1, News2Scale.Scale2];

    // (value, points): both sides of every band boundary of RCP 2017 chart 1, plus rounding at the edges.
    private static readonly (double Value, int Points)[] RespirationTable =
    [
        (0, 3), (8, 3), (8.49, 3), (8.5, 1), (9, 1), (11, 1), (11.5, 0), (12, 0), (20, 0), (20.49, 0), (20.5, 2),
        (21, 2), (24, 2), (24.5, 3), (25, 3), (60, 3),
    ];

    private static readonly (double Value, int Points)[] SystolicTable =
    [
        (50, 3), (90, 3), (90.49, 3), (90.5, 2), (91, 2), (100, 2), (101, 1), (110, 1), (111, 0), (219, 0), (219.49, 0),
        (219.5, 3), (220, 3), (280, 3),
    ];

    private static readonly (double Value, int Points)[] PulseTable =
    [
        (20, 3), (40, 3), (41, 1), (50, 1), (51, 0), (90, 0), (90.49, 0), (90.5, 1), (91, 1), (110, 1), (111, 2),
        (130, 2), (131, 3), (200, 3),
    ];

    private static readonly (double Value, int Points)[] TemperatureTable =
    [
        (30.0, 3), (35.0, 3), (35.04, 3), (35.05, 1), (35.1, 1), (36.0, 1), (36.05, 0), (36.1, 0), (38.0, 0), (38.04, 0),
        (38.05, 1), (38.1, 1), (39.0, 1), (39.05, 2), (39.1, 2), (42.0, 2),
    ];

    public static TheoryData<string, News2Scale, double, int> DeviceParameterCases()
    {
        var data = new TheoryData<string, News2Scale, double, int>();
        foreach (var scale in BothScales)
        {
            foreach (var (value, points) in RespirationTable)
            {
                data.Add(nameof(News2Parameter.RespirationRate), scale, value, points);
            }
            foreach (var (value, points) in SystolicTable)
            {
                data.Add(nameof(News2Parameter.SystolicBloodPressure), scale, value, points);
            }
            foreach (var (value, points) in PulseTable)
            {
                data.Add(nameof(News2Parameter.Pulse), scale, value, points);
            }
            foreach (var (value, points) in TemperatureTable)
            {
                data.Add(nameof(News2Parameter.Temperature), scale, value, points);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DeviceParameterCases))]
    public void Device_parameters_score_the_same_on_both_scales(string parameterName, News2Scale scale, double value, int expected)
    {
        var parameter = Enum.Parse<News2Parameter>(parameterName);
        var inputs = Only(scale) with
        {
            RespirationRate = parameter == News2Parameter.RespirationRate ? value : null,
            SystolicBp = parameter == News2Parameter.SystolicBloodPressure ? value : null,
            Pulse = parameter == News2Parameter.Pulse ? value : null,
            TemperatureCelsius = parameter == News2Parameter.Temperature ? value : null,
        };

        var score = News2Calculator.Calculate(inputs);

        Assert.Equal(new Dictionary<News2Parameter, int> { [parameter] = expected }, score.ParameterScores);
        Assert.Equal(expected, score.Total);
        Assert.Equal(6, score.Missing.Count);
    }

    [Theory]
    // Scale 1: oxygen does not change the SpO2 points (it scores separately under air or oxygen).
    [InlineData(80, false, 3)]
    [InlineData(91, false, 3)]
    [InlineData(91.49, false, 3)]
    [InlineData(91.5, false, 2)]
    [InlineData(92, false, 2)]
    [InlineData(93, false, 2)]
    [InlineData(94, false, 1)]
    [InlineData(95, false, 1)]
    [InlineData(95.5, false, 0)]
    [InlineData(96, false, 0)]
    [InlineData(100, false, 0)]
    [InlineData(91, true, 3)]
    [InlineData(93, true, 2)]
    [InlineData(95, true, 1)]
    [InlineData(96, true, 0)]
    [InlineData(100, true, 0)]
    public void Spo2_scale1(double spo2, bool onOxygen, int expected)
    {
        var score = News2Calculator.Calculate(Only(News2Scale.Scale1) with { Spo2 = spo2, OnSupplementalOxygen = onOxygen });

        Assert.Equal(expected, score.ParameterScores[News2Parameter.OxygenSaturation]);
        Assert.Equal(onOxygen ? 2 : 0, score.ParameterScores[News2Parameter.AirOrOxygen]);
    }

    [Theory]
    [InlineData(75, false, 3)]
    [InlineData(83, false, 3)]
    [InlineData(83.5, false, 2)]
    [InlineData(84, false, 2)]
    [InlineData(85, false, 2)]
    [InlineData(86, false, 1)]
    [InlineData(87, false, 1)]
    [InlineData(88, false, 0)]
    [InlineData(92, false, 0)]
    [InlineData(93, false, 0)]
    [InlineData(97, false, 0)]
    [InlineData(100, false, 0)]
    [InlineData(75, true, 3)]
    [InlineData(83, true, 3)]
    [InlineData(84, true, 2)]
    [InlineData(85, true, 2)]
    [InlineData(86, true, 1)]
    [InlineData(87, true, 1)]
    [InlineData(88, true, 0)]
    [InlineData(92, true, 0)]
    [InlineData(92.49, true, 0)]
    [InlineData(92.5, true, 1)]
    [InlineData(93, true, 1)]
    [InlineData(94, true, 1)]
    [InlineData(95, true, 2)]
    [InlineData(96, true, 2)]
    [InlineData(97, true, 3)]
    [InlineData(100, true, 3)]
    public void Spo2_scale2_with_air_or_oxygen(double spo2, bool onOxygen, int expected)
    {
        var score = News2Calculator.Calculate(Only(News2Scale.Scale2) with { Spo2 = spo2, OnSupplementalOxygen = onOxygen });

        Assert.Equal(expected, score.ParameterScores[News2Parameter.OxygenSaturation]);
        Assert.Equal(expected + (onOxygen ? 2 : 0), score.Total);
    }

    [Theory]
    [InlineData(83, 3)]
    [InlineData(87, 1)]
    [InlineData(92, 0)]
    public void Spo2_scale2_below_93_needs_no_oxygen_fact(double spo2, int expected)
    {
        var score = News2Calculator.Calculate(Only(News2Scale.Scale2) with { Spo2 = spo2 });

        Assert.Equal(expected, score.ParameterScores[News2Parameter.OxygenSaturation]);
        Assert.Contains(News2Parameter.AirOrOxygen, score.Missing);
    }

    [Theory]
    [InlineData(93)]
    [InlineData(97)]
    public void Spo2_scale2_from_93_is_missing_when_air_or_oxygen_is_unknown(double spo2)
    {
        // 93 % scores 0 on air but 1 on oxygen: guessing "air" would present a possibly low score as certain.
        var score = News2Calculator.Calculate(Only(News2Scale.Scale2) with { Spo2 = spo2 });

        Assert.Empty(score.ParameterScores);
        Assert.Equal(7, score.Missing.Count);
        Assert.Contains(News2Parameter.OxygenSaturation, score.Missing);
    }

    [Theory]
    [InlineData(ConsciousnessLevel.Alert, 0)]
    [InlineData(ConsciousnessLevel.NewConfusion, 3)]
    [InlineData(ConsciousnessLevel.Voice, 3)]
    [InlineData(ConsciousnessLevel.Pain, 3)]
    [InlineData(ConsciousnessLevel.Unresponsive, 3)]
    public void Consciousness(ConsciousnessLevel level, int expected)
    {
        foreach (var scale in BothScales)
        {
            var score = News2Calculator.Calculate(Only(scale) with { Consciousness = level });

            Assert.Equal(expected, score.ParameterScores[News2Parameter.Consciousness]);
        }
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 2)]
    public void Air_or_oxygen(bool onOxygen, int expected)
    {
        foreach (var scale in BothScales)
        {
            var score = News2Calculator.Calculate(Only(scale) with { OnSupplementalOxygen = onOxygen });

            Assert.Equal(new Dictionary<News2Parameter, int> { [News2Parameter.AirOrOxygen] = expected }, score.ParameterScores);
        }
    }

    public static TheoryData<string, News2Inputs, int, News2Risk> TotalCases() => new()
    {
        { "all normal", Full(16, 97, false, 120, 70, ConsciousnessLevel.Alert, 37.0), 0, News2Risk.Low },
        { "every parameter at its worst", Full(30, 80, true, 80, 150, ConsciousnessLevel.Unresponsive, 34.0), 20, News2Risk.High },
        { "4 without a 3", Full(21, 97, false, 120, 111, ConsciousnessLevel.Alert, 37.0), 4, News2Risk.Low },
        { "single 3 alone", Full(16, 91, false, 120, 70, ConsciousnessLevel.Alert, 37.0), 3, News2Risk.LowMedium },
        { "4 including a 3", Full(16, 91, false, 120, 91, ConsciousnessLevel.Alert, 37.0), 4, News2Risk.LowMedium },
        { "new confusion alone", Full(16, 97, false, 120, 70, ConsciousnessLevel.NewConfusion, 37.0), 3, News2Risk.LowMedium },
        { "5 without a 3", Full(21, 97, false, 120, 111, ConsciousnessLevel.Alert, 38.5), 5, News2Risk.Medium },
        { "6 including a 3", Full(21, 91, false, 120, 70, ConsciousnessLevel.Alert, 38.5), 6, News2Risk.Medium },
        { "7", Full(25, 91, false, 120, 70, ConsciousnessLevel.Alert, 38.5), 7, News2Risk.High },
        { "oxygen adds 2", Full(16, 97, true, 120, 70, ConsciousnessLevel.Alert, 37.0), 2, News2Risk.Low },
        { "scale 2 on oxygen at 97", Full(16, 97, true, 120, 70, ConsciousnessLevel.Alert, 37.0) with { Scale = News2Scale.Scale2 }, 5, News2Risk.Medium },
        { "scale 2 on air at 90", Full(16, 90, false, 120, 70, ConsciousnessLevel.Alert, 37.0) with { Scale = News2Scale.Scale2 }, 0, News2Risk.Low },
        { "scale 1 at 90", Full(16, 90, false, 120, 70, ConsciousnessLevel.Alert, 37.0), 3, News2Risk.LowMedium },
    };

    [Theory]
    [MemberData(nameof(TotalCases))]
    public void Totals_and_risk(string description, News2Inputs inputs, int total, News2Risk risk)
    {
        var score = News2Calculator.Calculate(inputs);

        Assert.True(score.Total == total, $"{description}: total {score.Total}, expected {total}");
        Assert.Equal(risk, score.Risk);
        Assert.False(score.IsPartial);
        Assert.Equal(7, score.ParameterScores.Count);
    }

    [Fact]
    public void Missing_parameters_score_nothing_and_are_listed_in_chart_order()
    {
        var score = News2Calculator.Calculate(Only(News2Scale.Scale1) with { Pulse = 135, Spo2 = 95 });

        Assert.Equal(4, score.Total);
        Assert.Equal(News2Risk.LowMedium, score.Risk);
        Assert.True(score.IsPartial);
        Assert.Equal(
            [News2Parameter.RespirationRate, News2Parameter.AirOrOxygen, News2Parameter.SystolicBloodPressure, News2Parameter.Consciousness, News2Parameter.Temperature],
            score.Missing);
    }

    [Fact]
    public void Nothing_measured_is_a_fully_partial_zero_not_a_low_score()
    {
        var score = News2Calculator.Calculate(Only(News2Scale.Scale1));

        Assert.Equal(0, score.Total);
        Assert.Empty(score.ParameterScores);
        Assert.Equal(Enum.GetValues<News2Parameter>(), score.Missing);
        Assert.True(score.IsPartial);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Non_finite_values_are_missing(double value)
    {
        var score = News2Calculator.Calculate(new News2Inputs(value, value, null, value, value, null, value, News2Scale.Scale1));

        Assert.Empty(score.ParameterScores);
        Assert.Equal(7, score.Missing.Count);
    }

    private static News2Inputs Only(News2Scale scale) => new(null, null, null, null, null, null, null, scale);

    private static News2Inputs Full(double rr, double spo2, bool onOxygen, double systolic, double pulse, ConsciousnessLevel level, double temperature) =>
        new(rr, spo2, onOxygen, systolic, pulse, level, temperature, News2Scale.Scale1);
}
