using Telehealth.Notifications.Outbox;

namespace Telehealth.Integration.Tests.Notifications;

/// <summary>Collects what the delivery worker reports, as the alert event log would receive it.</summary>
internal sealed class RecordingOutcomeRecorder : INotificationOutcomeRecorder
{
    private readonly Lock _gate = new();
    private readonly List<NotificationDelivery> _deliveries = [];

    public IReadOnlyList<NotificationDelivery> Deliveries
    {
        get
        {
            lock (_gate)
            {
                return _deliveries.ToList();
            }
        }
    }

    public Task RecordAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _deliveries.Add(delivery);
        }
        return Task.CompletedTask;
    }

    /// <summary>Waits until <paramref name="count"/> passes are final; fails with what was recorded after the timeout.</summary>
    public async Task<IReadOnlyList<NotificationDelivery>> WaitForFinalAsync(int count, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var deliveries = Deliveries;
            if (deliveries.Count(d => d.Final) >= count)
            {
                return deliveries;
            }
            if (deadline.IsCancellationRequested)
            {
                throw new TimeoutException($"Expected {count} final deliveries; recorded: {string.Join(" | ", deliveries.Select(d => d.Describe()))}");
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
