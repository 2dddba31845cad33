using Telehealth.Tests.Alerts;
using Telehealth.Tests.Devices;
using Telehealth.Tests.Evaluation;
using Telehealth.Tests.Storage;

using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage.Engines;

// Each conformance suite once more, on a real PostgreSQL (one server for all of them, a fresh database per test).

[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresCaseloadRepositoryTests(PostgresStoreFixture fixture) : CaseloadRepositoryConformance(new PostgresStoreEngine(fixture));

[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresAlertStoreTests(PostgresStoreFixture fixture) : AlertStoreConformance(new PostgresStoreEngine(fixture));

[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresEvaluationQueueTests(PostgresStoreFixture fixture) : EvaluationQueueConformance(new PostgresStoreEngine(fixture));

[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresOutboxTests(PostgresStoreFixture fixture) : OutboxConformance(new PostgresStoreEngine(fixture));

[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresCrossProcessTakeTests(PostgresStoreFixture fixture) : CrossProcessTakeConformance(new PostgresStoreEngine(fixture));

[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresDeviceRegistryTests(PostgresStoreFixture fixture) : DeviceRegistryConformance(new PostgresStoreEngine(fixture));

[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresRuleWiringTests(PostgresStoreFixture fixture) : RuleWiringConformance(new PostgresStoreEngine(fixture));

[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresMonitoringPlanWiringTests(PostgresStoreFixture fixture) : MonitoringPlanWiringConformance(new PostgresStoreEngine(fixture));

[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresRecordStoresTests(PostgresStoreFixture fixture) : RecordStoresConformance(new PostgresStoreEngine(fixture));

[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresCarePlanStoreTests(PostgresStoreFixture fixture) : CarePlanStoreConformance(new PostgresStoreEngine(fixture));

[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresPatientDetailsStoreTests(PostgresStoreFixture fixture) : Telehealth.Tests.Caseload.PatientDetailsStoreConformance(new PostgresStoreEngine(fixture));

[Collection(PostgresStoresCollection.Name)]
public sealed class PostgresWorkLeaseStoreTests(PostgresStoreFixture fixture) : WorkLeaseStoreConformance(new PostgresStoreEngine(fixture));
