using Telehealth.CareRecord.Alerting;

namespace Telehealth.Tests.CareRecord;

public sealed class CareRecordBoundaryTests
{
    /// <summary>The core stays pure: no MQTT, HTTP, SQL or FHIR assembly may creep into it.</summary>
    [Fact]
    public void The_care_record_core_references_only_the_runtime_and_the_contracts()
    {
        var references = typeof(AlertCaseLifecycle).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.Contains("Telehealth.Contracts", references);
        Assert.DoesNotContain(references, name => name != "Telehealth.Contracts" && !name.StartsWith("System", StringComparison.Ordinal));
    }
}
