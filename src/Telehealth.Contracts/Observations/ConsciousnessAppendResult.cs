namespace Telehealth.Contracts.Observations;

public enum ConsciousnessAppendResult
{
    Stored,
    Repeat,
    Conflict,
}
