namespace Telehealth.CareRecord.News2;

/// <summary>
/// The National Early Warning Score 2 (Royal College of Physicians, 2017), charts 1 and 2 exactly.
/// Integer parameters are rounded half away from zero and temperature to one decimal before banding, because
/// the chart's bands are written for values as charted (e.g. pulse 90.5 is charted as 91 and scores 1).
/// Non-finite values are treated as not measured.
/// </summary>
public static class News2Calculator
{
    public static News2Score Calculate(News2Inputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var scores = new Dictionary<News2Parameter, int>();
        var missing = new List<News2Parameter>();

        void Record(News2Parameter parameter, int? points)
        {
            if (points is { } p)
            {
                scores[parameter] = p;
            }
            else
            {
                missing.Add(parameter);
            }
        }

        Record(News2Parameter.RespirationRate, Whole(inputs.RespirationRate) is { } rr ? RespirationPoints(rr) : null);
        Record(News2Parameter.OxygenSaturation, Whole(inputs.Spo2) is { } spo2 ? Spo2Points(spo2, inputs.Scale, inputs.OnSupplementalOxygen) : null);
        Record(News2Parameter.AirOrOxygen, inputs.OnSupplementalOxygen is { } onOxygen ? (onOxygen ? 2 : 0) : null);
        Record(News2Parameter.SystolicBloodPressure, Whole(inputs.SystolicBp) is { } sbp ? SystolicPoints(sbp) : null);
        Record(News2Parameter.Pulse, Whole(inputs.Pulse) is { } pulse ? PulsePoints(pulse) : null);
        Record(News2Parameter.Consciousness, inputs.Consciousness is { } level ? (level == ConsciousnessLevel.Alert ? 0 : 3) : null);
        Record(News2Parameter.Temperature, OneDecimal(inputs.TemperatureCelsius) is { } temperature ? TemperaturePoints(temperature) : null);

        var total = scores.Values.Sum();
        var risk = total >= 7 ? News2Risk.High
            : total >= 5 ? News2Risk.Medium
            : scores.Values.Any(points => points == 3) ? News2Risk.LowMedium
            : News2Risk.Low;
        return new News2Score(total, scores, missing, risk);
    }

    private static long? Whole(double? value) =>
        value is { } v && double.IsFinite(v) ? (long)Math.Round(v, MidpointRounding.AwayFromZero) : null;

    // Decimal, because 36.05 as a double is 36.04999…; charted it is 36.1.
    private static decimal? OneDecimal(double? value) =>
        value is { } v && double.IsFinite(v) && Math.Abs(v) < 1e9
            ? Math.Round((decimal)v, 1, MidpointRounding.AwayFromZero)
            : null;

    private static int RespirationPoints(long rate) => rate switch
    {
        <= 8 => 3,
        <= 11 => 1,
        <= 20 => 0,
        <= 24 => 2,
        _ => 3,
    };

    /// <returns>Null when scale 2 needs to know air or oxygen (SpO2 ≥ 93) and that is not known.</returns>
    private static int? Spo2Points(long spo2, News2Scale scale, bool? onOxygen)
    {
        if (scale == News2Scale.Scale1)
        {
            return spo2 switch
            {
                <= 91 => 3,
                <= 93 => 2,
                <= 95 => 1,
                _ => 0,
            };
        }
        switch (spo2)
        {
            case <= 83: return 3;
            case <= 85: return 2;
            case <= 87: return 1;
            case <= 92: return 0;
        }
        // Scale 2 at 93 % or more: harmless on air, but over-oxygenation on oxygen (risk of hypercapnia).
        return onOxygen switch
        {
            false => 0,
            true => spo2 switch
            {
                <= 94 => 1,
                <= 96 => 2,
                _ => 3,
            },
            null => null,
        };
    }

    private static int SystolicPoints(long systolic) => systolic switch
    {
        <= 90 => 3,
        <= 100 => 2,
        <= 110 => 1,
        <= 219 => 0,
        _ => 3,
    };

    private static int PulsePoints(long pulse) => pulse switch
    {
        <= 40 => 3,
        <= 50 => 1,
        <= 90 => 0,
        <= 110 => 1,
        <= 130 => 2,
        _ => 3,
    };

    private static int TemperaturePoints(decimal celsius) => celsius switch
    {
        <= 35.0m => 3,
        <= 36.0m => 1,
        <= 38.0m => 0,
        <= 39.0m => 1,
        _ => 2,
    };
}
