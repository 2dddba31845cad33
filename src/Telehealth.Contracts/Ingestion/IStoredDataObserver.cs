using Telehealth.Contracts.Devices;
using Telehealth.Contracts.Events;
using Telehealth.Contracts.Readings;

namespace Telehealth.Contracts.Ingestion;

/// <summary>Told about data after it is stored, and only about new data (never a repeat). The alert core implements it.</summary>
public interface IStoredDataObserver
{
    Task OnReadingsStoredAsync(IReadOnlyList<Reading> newReadings, CancellationToken cancellationToken);

    Task OnEventStoredAsync(TelecareEvent telecareEvent, CancellationToken cancellationToken);

    Task OnStatusAsync(DeviceStatusReport status, CancellationToken cancellationToken);
}
