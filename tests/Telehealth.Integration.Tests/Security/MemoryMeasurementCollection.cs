namespace Telehealth.Integration.Tests.Security;

/// <summary>Tests that measure this process's memory run after the parallel ones, alone, so others' allocations do not blur them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "Memory measurement (runs alone)";
}
