namespace Telehealth.Gateway.Serial;

/// <summary>The wire formats the serial bridge reads; <see cref="SerialFormats"/> has their names and line settings.</summary>
public enum SerialFormat
{
    Nonin8,
    Cms50Legacy,
    Cms50V46,
    Masimo,
}
