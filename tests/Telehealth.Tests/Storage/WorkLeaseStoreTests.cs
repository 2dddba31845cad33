using Telehealth.TestSupport.Storage;

namespace Telehealth.Tests.Storage;

/// <summary>The work leases on the embedded engine (<see cref="WorkLeaseStoreConformance"/>).</summary>
public sealed class WorkLeaseStoreTests() : WorkLeaseStoreConformance(new SqliteStoreEngine());
