using System.Text.Json;

namespace Telehealth.Browser.Tests;

/// <summary>
/// The rules the administration pages apply before sending anything, run as the browser runs them (the ES modules
/// wwwroot/js/nhs.js and units.js, imported into Chromium): the NHS number check digit, and unit conversions to the
/// canonical unit with exact values.
/// </summary>
public sealed class ClientRulesTests(ClientModules modules) : IClassFixture<ClientModules>
{
    public static TheoryData<string, bool> NhsNumbers => new()
    {
        { "9434765919", true },
        { "943 476 5919", true },    // spaces, as printed on letters
        { "4010232137", true },
        { "9434765870", true },
        { "0000000000", true },      // sum 0: check digit 11 → 0
        { "9434765918", false },     // last digit off by one
        { "4010232138", false },
        { "1234567890", false },     // check digit 10: no number with these first nine digits is valid
        { "1234567891", false },     // (ten possible last digits, none accepted)
        { "943476591", false },      // nine digits
        { "94347659190", false },    // eleven
        { "94347659l9", false },     // a letter l for a one
        { "", false },
    };

    [Theory]
    [MemberData(nameof(NhsNumbers))]
    public async Task The_page_checks_nhs_numbers_with_modulus_11_as_the_server_does(string number, bool valid)
    {
        var result = await modules.Page.EvaluateAsync<bool>("async (n) => (await import('/js/nhs.js')).isValidNhsNumber(n)", number);
        Assert.Equal(valid, result);
        Assert.Equal(valid, Telehealth.CareRecord.Caseload.NhsNumbers.IsValid(number.Replace(" ", "", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("943 476 5919", null)]
    [InlineData("94347659l9", "An NHS number has digits only.")]
    [InlineData("943476591", "An NHS number has 10 digits; this has 9.")]
    [InlineData("1234567890", "This is not a valid NHS number: the last digit does not match the check. Check it against the person's letter or record.")]
    public async Task The_field_error_says_what_is_wrong_with_the_number(string number, string? problem)
    {
        var result = await modules.Page.EvaluateAsync<string?>("async (n) => (await import('/js/nhs.js')).nhsNumberProblem(n)", number);
        Assert.Equal(problem, result);
    }

    [Theory]
    [InlineData("body_temperature", "C", 38.0, 38.0)]
    [InlineData("body_temperature", "F", 100.4, 38.0)]        // (100.4 − 32) × 5/9
    [InlineData("body_temperature", "F", 95.0, 35.0)]
    [InlineData("body_temperature", "F", 102.2, 39.0)]
    [InlineData("body_temperature", "F", 32.0, 0.0)]
    [InlineData("body_weight", "kg", 70.5, 70.5)]
    [InlineData("body_weight", "lb", 1.0, 0.453592)]          // 0.45359237 kg, six decimals
    [InlineData("body_weight", "lb", 154.0, 69.853225)]       // 69.85322498 kg
    [InlineData("body_weight", "st", 11.0, 69.853225)]        // 11 st = 154 lb exactly
    [InlineData("body_weight", "st", 1.0, 6.350293)]          // 6.35029318 kg
    [InlineData("blood_glucose", "mmol", 7.0, 7.0)]
    [InlineData("blood_glucose", "mg", 180.16, 10.0)]         // ÷ 18.016
    [InlineData("blood_glucose", "mg", 72.064, 4.0)]
    [InlineData("systolic_bp", "mmHg", 120.0, 120.0)]
    [InlineData("systolic_bp", "kPa", 16.0, 120.009852)]      // 16 000 Pa ÷ 133.322387415 Pa/mmHg
    [InlineData("diastolic_bp", "kPa", 10.0, 75.006158)]
    public async Task Values_in_the_chosen_unit_convert_exactly_to_the_canonical_unit(string kind, string unit, double value, double canonical)
    {
        var result = await modules.Page.EvaluateAsync<double>(
            "async ([k, u, v]) => (await import('/js/units.js')).toCanonical(k, u, v)", new object[] { kind, unit, value });
        Assert.Equal(canonical, result);
    }

    [Theory]
    [InlineData("body_temperature", "F", 38.0, 100.4)]
    [InlineData("body_temperature", "F", 35.0, 95.0)]
    [InlineData("body_weight", "st", 69.853225, 11.0)]
    [InlineData("body_weight", "lb", 69.853225, 154.0)]
    [InlineData("blood_glucose", "mg", 4.0, 72.06)]           // shown to two decimals
    [InlineData("systolic_bp", "kPa", 120.0, 16.0)]
    public async Task Stored_values_are_shown_back_in_the_chosen_unit(string kind, string unit, double canonical, double shown)
    {
        var result = await modules.Page.EvaluateAsync<double>(
            "async ([k, u, v]) => (await import('/js/units.js')).fromCanonical(k, u, v)", new object[] { kind, unit, canonical });
        Assert.Equal(shown, result);
    }

    [Theory]
    [InlineData("body_temperature", "F", 100.4, "[degF]", 100.4)]   // the API converts °F itself
    [InlineData("body_weight", "st", 11.5, "[lb_av]", 161.0)]        // stones go as pounds: 1 st = 14 lb exactly
    [InlineData("blood_glucose", "mg", 90.0, "mg/dL", 90.0)]
    [InlineData("systolic_bp", "mmHg", 140.0, "mm[Hg]", 140.0)]
    public async Task Each_value_is_sent_in_a_unit_the_api_converts(string kind, string unit, double value, string wireUnit, double wireValue)
    {
        var result = await modules.Page.EvaluateAsync<JsonElement>(
            "async ([k, u, v]) => (await import('/js/units.js')).toWire(k, u, v)", new object[] { kind, unit, value });
        Assert.Equal(wireUnit, result.GetProperty("unit").GetString());
        Assert.Equal(wireValue, result.GetProperty("value").GetDouble());
    }
}
