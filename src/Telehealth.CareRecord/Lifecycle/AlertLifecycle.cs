namespace Telehealth.CareRecord.Lifecycle;

/// <summary>
/// The alert state machine, pure: given the patient's not-closed alert for a condition (or null) and what just
/// happened, it says what to store. Null means nothing changes.
/// </summary>
public static class AlertLifecycle
{
    /// <summary>
    /// A finding raises a new alert when none is open for its condition; otherwise it updates that alert
    /// (one alert per ongoing problem, with a count, rather than a flood of duplicates).
    /// </summary>
    public static AlertDecision OnFinding(Alert? current, string patientId, AlertFinding finding, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(patientId);
        ArgumentNullException.ThrowIfNull(finding);
        EnsureMatches(current, patientId, finding.ConditionKey);

        if (current is null)
        {
            return new AlertDecision(AlertDecisionKind.Raised, new Alert(
                Id: Guid.NewGuid(),
                PatientId: patientId,
                ConditionKey: finding.ConditionKey,
                Severity: finding.Severity,
                Reason: finding.Reason,
                RaisedAt: now,
                UpdatedAt: now,
                Status: AlertStatus.Open,
                ConditionActive: !finding.Instantaneous,
                Occurrences: 1,
                AcknowledgedAt: null,
                AcknowledgedBy: null,
                ClearedAt: null));
        }

        // Worse than what staff took on: it needs fresh attention, so it goes back to Open.
        var reopen = current.Status == AlertStatus.Acknowledged
            && finding.Severity > (current.AcknowledgedSeverity ?? current.Severity);
        var updated = current with
        {
            Severity = finding.Severity,
            Reason = finding.Reason,
            UpdatedAt = now,
            Occurrences = current.Occurrences + 1,
            // A repeated event stays inactive; a state finding (re)activates the alert even if it had cleared.
            ConditionActive = finding.Instantaneous ? current.ConditionActive : true,
            ClearedAt = finding.Instantaneous ? current.ClearedAt : null,
        };
        if (reopen)
        {
            updated = updated with
            {
                Status = AlertStatus.Open,
                AcknowledgedAt = null,
                AcknowledgedBy = null,
                AcknowledgedSeverity = null,
            };
        }
        return new AlertDecision(AlertDecisionKind.Updated, updated);
    }

    /// <summary>
    /// The condition is back to normal. The alert stays as it is otherwise: an unacknowledged alert remains
    /// visible (Open) until someone acknowledges it.
    /// </summary>
    public static AlertDecision? OnCleared(Alert? current, DateTimeOffset now)
    {
        if (current is null || !current.ConditionActive)
        {
            return null;
        }
        return new AlertDecision(AlertDecisionKind.Updated, current with
        {
            ConditionActive = false,
            ClearedAt = now,
            UpdatedAt = now,
        });
    }

    /// <summary>Staff take the alert on. Acknowledging an already acknowledged alert changes nothing.</summary>
    public static AlertDecision? OnAcknowledged(Alert current, string acknowledgedBy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentException.ThrowIfNullOrWhiteSpace(acknowledgedBy);
        if (current.Status == AlertStatus.Acknowledged)
        {
            return null;
        }
        return new AlertDecision(AlertDecisionKind.Updated, current with
        {
            Status = AlertStatus.Acknowledged,
            AcknowledgedAt = now,
            AcknowledgedBy = acknowledgedBy,
            AcknowledgedSeverity = current.Severity,
            UpdatedAt = now,
        });
    }

    private static void EnsureMatches(Alert? current, string patientId, string conditionKey)
    {
        if (current is null)
        {
            return;
        }
        if (current.IsClosed)
        {
            throw new ArgumentException("A closed alert is history and cannot be updated; pass null to raise a new one.", nameof(current));
        }
        if (current.PatientId != patientId || current.ConditionKey != conditionKey)
        {
            throw new ArgumentException("The alert belongs to a different patient or condition.", nameof(current));
        }
    }
}
