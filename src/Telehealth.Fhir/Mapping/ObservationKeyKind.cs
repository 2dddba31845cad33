namespace Telehealth.Fhir.Mapping;

/// <summary>What an Observation id stands for.</summary>
public enum ObservationKeyKind
{
    /// <summary>One stored reading (every kind except systolic/diastolic BP).</summary>
    Vital,

    /// <summary>The 85354-9 panel over the systolic and diastolic readings of one device at one device time.</summary>
    BloodPressurePanel,

    /// <summary>One telecare event.</summary>
    TelecareEvent,
}
