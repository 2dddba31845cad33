namespace Telehealth.Gateway.Decoding;

/// <summary>The SenML JSON labels of RFC 8428 §4 (Table 1) that the decoder knows, as flags to spot repeats.</summary>
[Flags]
internal enum SenmlRecordFields
{
    None = 0,
    BaseName = 1 << 0,
    BaseTime = 1 << 1,
    BaseUnit = 1 << 2,
    BaseValue = 1 << 3,
    BaseSum = 1 << 4,
    BaseVersion = 1 << 5,
    Name = 1 << 6,
    Unit = 1 << 7,
    Value = 1 << 8,
    StringValue = 1 << 9,
    BooleanValue = 1 << 10,
    DataValue = 1 << 11,
    Sum = 1 << 12,
    Time = 1 << 13,
    UpdateTime = 1 << 14,

    Base = BaseName | BaseTime | BaseUnit | BaseValue | BaseSum | BaseVersion,
    NonNumericValue = StringValue | BooleanValue | DataValue,
}
