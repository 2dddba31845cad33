// Transitional, for the move of the alert domain into Telehealth.CareRecord: files under Api/ are being edited
// on other branches at the same time, so their `using Telehealth.Alerts.Domain.*` lines were left alone. These
// empty namespaces keep those lines compiling and the global usings below supply the moved types. Delete this
// file once Api/ has been switched to the Telehealth.CareRecord.* usings.
global using Telehealth.CareRecord.Lifecycle;
global using Telehealth.CareRecord.News2;
global using Telehealth.CareRecord.Thresholds;

namespace Telehealth.Alerts.Domain.Lifecycle
{
}

namespace Telehealth.Alerts.Domain.News2
{
}

namespace Telehealth.Alerts.Domain.Thresholds
{
}
