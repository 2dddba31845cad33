using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Telehealth.Contracts.Observations;
using Telehealth.Contracts.Readings;
using Telehealth.Contracts.Rejections;

namespace Telehealth.Gateway.Decoding;

/// <summary>
/// Decodes a device API v1 readings payload: a SenML JSON pack (RFC 8428) of numeric vital-sign records.
/// <list type="bullet">
/// <item>Base fields bn, bt, bu, bv apply to their record and every later one until replaced (§4.1); bs and bver are read and ignored.</item>
/// <item>Resolved name = bn + n. It is accepted when it is a <see cref="VitalKind"/> wire name or ends with ':' or '/' and one,
/// as in bn "urn:dev:mac:0024befffe804ff1:" + n "heart_rate".</item>
/// <item>Resolved value = bv + v; only numeric, finite 'v' is accepted (vs, vb, vd records are refused).</item>
/// <item>The one coded record: name <c>consciousness</c> with an ACVPU level in 'vs' (alert, new_confusion, voice, pain,
/// unresponsive), no 'v' and no 'u'; anything else in it is refused with <see cref="RejectionReasons.UnknownValue"/>.</item>
/// <item>Resolved unit = u, else bu; it is required and converted by <see cref="UnitConverter"/>.</item>
/// <item>Resolved time = bt + t in seconds; absent means 0, i.e. now; below 2^28 it is relative to the receive time (§4.5.3).</item>
/// <item>Unknown fields are ignored, except labels ending in '_', which RFC 8428 §4.4 says must be understood: the pack is refused.</item>
/// <item>A record that holds only base fields carries context, not a measurement: it is neither accepted nor refused.</item>
/// <item>Records of one kind at one resolved time are one reading: identical repeats are accepted (the store keeps one);
/// with different values every one of them is refused (<see cref="RejectionReasons.ConflictingDuplicate"/>), since which
/// value the device meant cannot be known.</item>
/// </list>
/// Each record is judged on its own, so one bad record does not cost the good ones. Thread-safe.
/// </summary>
public sealed class SenmlDecoder
{
    private readonly DecodingOptions _options;
    private readonly ReadingValidator _validator;

    public SenmlDecoder(DecodingOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _validator = new ReadingValidator(options);
    }

    /// <summary>Decodes a payload that may arrive in segments (as MQTT client libraries hand it over).</summary>
    public SenmlDecodeResult Decode(ReadOnlySequence<byte> payload, DateTimeOffset receivedAt)
    {
        if (DevicePayload.SizeProblem(payload.Length, _options) is { } tooLarge)
        {
            return SenmlDecodeResult.WholeMessage(RejectionReasons.PayloadTooLarge, tooLarge);
        }
        return payload.IsSingleSegment ? Decode(payload.FirstSpan, receivedAt) : Decode(payload.ToArray(), receivedAt);
    }

    public SenmlDecodeResult Decode(ReadOnlySpan<byte> payload, DateTimeOffset receivedAt)
    {
        if (DevicePayload.SizeProblem(payload.Length, _options) is { } tooLarge)
        {
            return SenmlDecodeResult.WholeMessage(RejectionReasons.PayloadTooLarge, tooLarge);
        }

        payload = DevicePayload.WithoutByteOrderMark(payload);
        if (DevicePayload.EncodingProblem(payload) is { } notUtf8)
        {
            return SenmlDecodeResult.WholeMessage(RejectionReasons.MalformedJson, notUtf8);
        }

        var reader = new Utf8JsonReader(payload, DevicePayload.ReaderOptions);
        try
        {
            return DecodePack(ref reader, receivedAt);
        }
        catch (JsonException exception)
        {
            return SenmlDecodeResult.WholeMessage(RejectionReasons.MalformedJson, DevicePayload.MalformedDetail(exception));
        }
    }

    private SenmlDecodeResult DecodePack(ref Utf8JsonReader reader, DateTimeOffset receivedAt)
    {
        DevicePayload.ReadOrFail(ref reader);
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            DevicePayload.ReadToEnd(ref reader);
            return SenmlDecodeResult.WholeMessage(RejectionReasons.NotSenml, "expected a JSON array of SenML records");
        }

        var accepted = new List<DecodedReading>();
        var consciousness = new List<DecodedConsciousness>();
        var rejected = new List<RecordRejection>();
        var context = new BaseContext();
        var index = 0;
        for (DevicePayload.ReadOrFail(ref reader); reader.TokenType != JsonTokenType.EndArray; DevicePayload.ReadOrFail(ref reader), index++)
        {
            if (index >= _options.MaxRecords)
            {
                return SenmlDecodeResult.WholeMessage(
                    RejectionReasons.PayloadTooLarge,
                    string.Create(CultureInfo.InvariantCulture, $"more than {_options.MaxRecords} records (MaxRecords)"));
            }
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                DevicePayload.ReadToEnd(ref reader);
                return SenmlDecodeResult.WholeMessage(
                    RejectionReasons.NotSenml, RejectionDetail.For(index, "is not a JSON object; a SenML pack is an array of records"));
            }

            var record = new SenmlRecord();
            if (ReadRecord(ref reader, index, record) is { } packProblem)
            {
                DevicePayload.ReadToEnd(ref reader);
                return SenmlDecodeResult.WholeMessage(RejectionReasons.NotSenml, packProblem);
            }

            context.Apply(record);
            if (record.IsBaseOnly)
            {
                continue;
            }
            if (IsConsciousness(record, context))
            {
                if (ResolveConsciousness(record, context, index, receivedAt, out var assessed) is { } refused)
                {
                    rejected.Add(refused);
                }
                else
                {
                    consciousness.Add(assessed!);
                }
                continue;
            }
            if (Resolve(record, context, index, receivedAt, out var reading) is { } rejection)
            {
                rejected.Add(rejection);
            }
            else
            {
                accepted.Add(reading!);
            }
        }

        // Anything after the closing bracket other than whitespace is malformed JSON; Read throws on it.
        DevicePayload.ReadToEnd(ref reader);
        return RefuseConflicts(accepted, rejected) is var result && consciousness.Count == 0
            ? result
            : RefuseConsciousnessConflicts(result, consciousness);
    }

    /// <summary>Two consciousness records at one time with different levels: both refused, as for readings.</summary>
    private static SenmlDecodeResult RefuseConsciousnessConflicts(SenmlDecodeResult result, List<DecodedConsciousness> consciousness)
    {
        var conflicting = consciousness
            .GroupBy(c => c.ObservedAt)
            .Where(g => g.Select(c => c.Level).Distinct().Skip(1).Any())
            .SelectMany(g => g)
            .ToList();
        var rejected = result.Rejected.ToList();
        foreach (var record in conflicting)
        {
            consciousness.Remove(record);
            rejected.Add(Reject(record.RecordIndex, RejectionReasons.ConflictingDuplicate, string.Create(CultureInfo.InvariantCulture,
                $"consciousness at {record.ObservedAt:yyyy-MM-ddTHH:mm:ss.fffZ} has a different level in another record; none of them is stored")));
        }
        // One assessment per moment: identical repeats in one message are one.
        var distinct = consciousness.DistinctBy(c => c.ObservedAt).ToList();
        return new SenmlDecodeResult(result.Accepted, rejected.OrderBy(r => r.RecordIndex).ToList()) { Consciousness = distinct };
    }

    private static bool IsConsciousness(SenmlRecord record, BaseContext context) =>
        record.StructureProblem is null && MatchesName(string.Concat(context.Name, record.Name), AcvpuLevels.ObservationName);

    private RecordRejection? ResolveConsciousness(SenmlRecord record, BaseContext context, int index, DateTimeOffset receivedAt, out DecodedConsciousness? assessed)
    {
        assessed = null;
        var vocabulary = string.Join(", ", AcvpuLevels.All.Select(level => level.WireName()));
        if ((record.Present & (SenmlRecordFields.Value | SenmlRecordFields.BooleanValue | SenmlRecordFields.DataValue)) != SenmlRecordFields.None)
        {
            return Reject(index, RejectionReasons.UnknownValue, $"consciousness takes its level in 'vs' ({vocabulary}), not 'v', 'vb' or 'vd'");
        }
        if (record.StringValue is not { } text)
        {
            return Reject(index, RejectionReasons.UnknownValue, $"consciousness needs a string 'vs': one of {vocabulary}");
        }
        if (!AcvpuLevels.TryParseWireName(text, out var level))
        {
            return Reject(index, RejectionReasons.UnknownValue, $"'{RejectionDetail.Echo(text)}' is not an ACVPU level; use one of {vocabulary}");
        }
        if (record.Unit is not null)
        {
            return Reject(index, RejectionReasons.UnknownUnit, $"consciousness takes no unit (got '{RejectionDetail.Echo(record.Unit)}')");
        }
        var seconds = (context.Time ?? 0) + (record.Time ?? 0);
        if (_validator.ResolveDeviceTime(index, seconds, receivedAt, out var observedAt) is { } badTime)
        {
            return badTime;
        }
        assessed = new DecodedConsciousness(level, observedAt, index);
        return null;
    }

    /// <summary>Refuses every record of an identity (kind, device time) that the message gives more than one value.</summary>
    private static SenmlDecodeResult RefuseConflicts(List<DecodedReading> accepted, List<RecordRejection> rejected)
    {
        var conflicting = accepted
            .GroupBy(r => (r.Kind, r.DeviceTime))
            .Where(g => g.Select(r => r.Value).Distinct().Skip(1).Any())
            .SelectMany(g => g.Select(r => (Reading: r, Others: g.Where(o => o != r).Select(o => o.RecordIndex).ToList())))
            .ToList();
        if (conflicting.Count == 0)
        {
            return new SenmlDecodeResult(accepted, rejected);
        }
        foreach (var (reading, others) in conflicting)
        {
            accepted.Remove(reading);
            rejected.Add(Reject(reading.RecordIndex, RejectionReasons.ConflictingDuplicate, string.Create(CultureInfo.InvariantCulture,
                $"{reading.Kind.WireName()} at {reading.DeviceTime:yyyy-MM-ddTHH:mm:ss.fffZ} has a different value in record {string.Join(", ", others)}; none of them is stored")));
        }
        return new SenmlDecodeResult(accepted, rejected.OrderBy(r => r.RecordIndex).ToList());
    }

    private RecordRejection? Resolve(SenmlRecord record, BaseContext context, int index, DateTimeOffset receivedAt, out DecodedReading? reading)
    {
        reading = null;
        if (record.StructureProblem is { } structure)
        {
            return Reject(index, RejectionReasons.NotSenml, structure);
        }

        var name = string.Concat(context.Name, record.Name);
        if (name.Length == 0)
        {
            return Reject(index, RejectionReasons.UnknownName, "missing name (no 'n' and no 'bn')");
        }
        if (!TryMatchKind(name, out var kind))
        {
            return Reject(index, RejectionReasons.UnknownName, $"unknown name '{RejectionDetail.Echo(name)}'");
        }

        if ((record.Present & SenmlRecordFields.NonNumericValue) != SenmlRecordFields.None)
        {
            return Reject(index, RejectionReasons.NotANumber, "has a string, boolean or data value (vs, vb, vd); only a numeric 'v' is accepted");
        }
        if (record.ValueProblem is { } valueProblem)
        {
            return Reject(index, RejectionReasons.NotANumber, valueProblem);
        }
        if (record.Value is not { } ownValue)
        {
            return Reject(index, RejectionReasons.NotANumber, "missing numeric value 'v'");
        }
        var value = (context.Value ?? 0) + ownValue;
        if (!double.IsFinite(value))
        {
            return Reject(index, RejectionReasons.NotANumber, "'bv' + 'v' is not a finite number");
        }

        var unit = record.Unit ?? context.Unit;
        if (unit is null)
        {
            // Never assume the canonical unit: °F read as °C, or mg/dL read as mmol/L, is a clinical error.
            return Reject(index, RejectionReasons.UnknownUnit, $"missing unit (no 'u' and no 'bu') for {kind.WireName()}");
        }
        if (!UnitConverter.TryToCanonical(kind, unit, value, out var canonicalValue))
        {
            return Reject(
                index,
                RejectionReasons.UnknownUnit,
                $"unit '{RejectionDetail.Echo(unit)}' is not accepted for {kind.WireName()} (accepted: {string.Join(", ", UnitConverter.AcceptedUnits(kind))})");
        }

        if (_validator.CheckValue(index, kind, canonicalValue) is { } implausible)
        {
            return implausible;
        }

        var seconds = (context.Time ?? 0) + (record.Time ?? 0);
        if (_validator.ResolveDeviceTime(index, seconds, receivedAt, out var deviceTime) is { } badTime)
        {
            return badTime;
        }

        reading = new DecodedReading(kind, canonicalValue, deviceTime, index);
        return null;
    }

    /// <summary>Accepts "heart_rate", "urn:dev:mac:0024befffe804ff1:heart_rate" and "device-7/heart_rate".</summary>
    internal static bool TryMatchKind(string resolvedName, out VitalKind kind)
    {
        foreach (var candidate in VitalKinds.All)
        {
            if (MatchesName(resolvedName, candidate.WireName()))
            {
                kind = candidate;
                return true;
            }
        }
        kind = default;
        return false;
    }

    private static bool MatchesName(string resolvedName, string wireName)
    {
        if (!resolvedName.EndsWith(wireName, StringComparison.Ordinal))
        {
            return false;
        }
        var prefixLength = resolvedName.Length - wireName.Length;
        return prefixLength == 0 || resolvedName[prefixLength - 1] is ':' or '/';
    }

    /// <summary>Reads one record object. Returns a detail when the whole pack must be refused, null otherwise.</summary>
    private static string? ReadRecord(ref Utf8JsonReader reader, int index, SenmlRecord record)
    {
        for (DevicePayload.ReadOrFail(ref reader); reader.TokenType != JsonTokenType.EndObject; DevicePayload.ReadOrFail(ref reader))
        {
            var label = DevicePayload.GetString(ref reader);
            DevicePayload.ReadOrFail(ref reader);
            var field = Classify(label);

            if (field == SenmlRecordFields.None)
            {
                if (label.EndsWith('_'))
                {
                    return RejectionDetail.For(index, $"must-understand field '{RejectionDetail.Echo(label)}' is not supported (RFC 8428 §4.4)");
                }
                reader.Skip();
                continue;
            }
            if ((record.Present & field) != SenmlRecordFields.None)
            {
                // JSON leaves repeated keys undefined; which 'v' the device meant cannot be known.
                if ((field & SenmlRecordFields.Base) != SenmlRecordFields.None)
                {
                    return RejectionDetail.For(index, $"base field '{label}' appears twice");
                }
                record.NoteStructureProblem($"field '{label}' appears twice");
                reader.Skip();
                continue;
            }
            record.Present |= field;

            if (ReadField(ref reader, field, label, record) is { } basePackProblem)
            {
                return RejectionDetail.For(index, basePackProblem);
            }
        }
        return null;
    }

    /// <summary>
    /// Stores one field's value. A malformed base field refuses the pack (returns a detail): every later record depends on it,
    /// and which base the device meant cannot be known. A malformed regular field only spoils its own record.
    /// </summary>
    private static string? ReadField(ref Utf8JsonReader reader, SenmlRecordFields field, string label, SenmlRecord record)
    {
        if ((field & SenmlRecordFields.Base) != SenmlRecordFields.None)
        {
            return ReadBaseField(ref reader, field, label, record);
        }

        switch (field)
        {
            case SenmlRecordFields.Name:
                record.Name = ReadOwnString(ref reader, label, record);
                break;
            case SenmlRecordFields.Unit:
                record.Unit = ReadOwnString(ref reader, label, record);
                break;
            case SenmlRecordFields.Time:
                if (DevicePayload.TryGetFiniteNumber(ref reader, out var time))
                {
                    record.Time = time;
                }
                else
                {
                    record.NoteStructureProblem($"field '{label}' is not a finite number");
                }
                break;
            case SenmlRecordFields.StringValue:
                if (reader.TokenType == JsonTokenType.String)
                {
                    record.StringValue = DevicePayload.GetString(ref reader);
                }
                break;
            case SenmlRecordFields.Value:
                if (DevicePayload.TryGetFiniteNumber(ref reader, out var value))
                {
                    record.Value = value;
                }
                else
                {
                    record.ValueProblem = reader.TokenType switch
                    {
                        JsonTokenType.Number => "'v' overflows a double (not a finite number)",
                        JsonTokenType.String => "'v' is a JSON string, not a number (\"NaN\" and \"Infinity\" are not numbers)",
                        _ => "'v' is not a JSON number",
                    };
                }
                break;
        }
        // Sums, update times and non-numeric values count by their presence flag alone; skip whatever they hold.
        reader.Skip();
        return null;
    }

    private static string? ReadBaseField(ref Utf8JsonReader reader, SenmlRecordFields field, string label, SenmlRecord record)
    {
        if (field is SenmlRecordFields.BaseName or SenmlRecordFields.BaseUnit)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return $"base field '{label}' is not a string";
            }
            var text = DevicePayload.GetString(ref reader);
            if (field == SenmlRecordFields.BaseName)
            {
                record.BaseName = text;
            }
            else
            {
                record.BaseUnit = text;
            }
            return null;
        }

        // bs and bver are checked for type only: sums are not vital signs, and every version so far reads the same for numeric records.
        if (!DevicePayload.TryGetFiniteNumber(ref reader, out var number))
        {
            return $"base field '{label}' is not a finite number";
        }
        if (field == SenmlRecordFields.BaseTime)
        {
            record.BaseTime = number;
        }
        else if (field == SenmlRecordFields.BaseValue)
        {
            record.BaseValue = number;
        }
        return null;
    }

    private static string? ReadOwnString(ref Utf8JsonReader reader, string label, SenmlRecord record)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return DevicePayload.GetString(ref reader);
        }
        record.NoteStructureProblem($"field '{label}' is not a string");
        return null;
    }

    private static SenmlRecordFields Classify(string label) => label switch
    {
        "bn" => SenmlRecordFields.BaseName,
        "bt" => SenmlRecordFields.BaseTime,
        "bu" => SenmlRecordFields.BaseUnit,
        "bv" => SenmlRecordFields.BaseValue,
        "bs" => SenmlRecordFields.BaseSum,
        "bver" => SenmlRecordFields.BaseVersion,
        "n" => SenmlRecordFields.Name,
        "u" => SenmlRecordFields.Unit,
        "v" => SenmlRecordFields.Value,
        "vs" => SenmlRecordFields.StringValue,
        "vb" => SenmlRecordFields.BooleanValue,
        "vd" => SenmlRecordFields.DataValue,
        "s" => SenmlRecordFields.Sum,
        "t" => SenmlRecordFields.Time,
        "ut" => SenmlRecordFields.UpdateTime,
        _ => SenmlRecordFields.None,
    };

    private static RecordRejection Reject(int index, string reason, string detail) =>
        new(index, reason, RejectionDetail.For(index, detail));

    /// <summary>The base values in force: each replaced by the next record that carries it (RFC 8428 §4.1).</summary>
    private sealed class BaseContext
    {
        public string? Name { get; private set; }
        public double? Time { get; private set; }
        public string? Unit { get; private set; }
        public double? Value { get; private set; }

        public void Apply(SenmlRecord record)
        {
            Name = record.BaseName ?? Name;
            Time = record.BaseTime ?? Time;
            Unit = record.BaseUnit ?? Unit;
            Value = record.BaseValue ?? Value;
        }
    }
}
