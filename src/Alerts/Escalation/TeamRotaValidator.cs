using System.Text.RegularExpressions;
using Telehealth.Notifications.Webhooks;
using Telehealth.CareRecord.Escalation;

namespace Telehealth.Alerts.Escalation;

/// <summary>
/// Checks a rota before it is stored, reporting every problem (with a reason code) rather than the first: a wrong
/// rota is found when it is saved, not when an alert needs it at night.
/// </summary>
public static partial class TeamRotaValidator
{
    public const int MaxEntries = 500;
    public const int MaxPartners = 20;

    /// <param name="webhookTargets">Names configured in <c>Notifications:Webhooks:Targets</c>.</param>
    public static IReadOnlyList<string> Validate(TeamRota rota, IReadOnlySet<string> webhookTargets)
    {
        ArgumentNullException.ThrowIfNull(rota);
        ArgumentNullException.ThrowIfNull(webhookTargets);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(rota.TeamLead) || rota.TeamLead.Length > 100)
        {
            problems.Add("team_lead_required: teamLead must be a staff username");
        }
        Contact("teamLead", rota.TeamLeadContact, webhookTargets, problems);
        if (rota.Entries.Count > MaxEntries)
        {
            problems.Add($"too_many_entries: at most {MaxEntries}");
        }
        for (var i = 0; i < rota.Entries.Count; i++)
        {
            var entry = rota.Entries[i];
            if (string.IsNullOrWhiteSpace(entry.Username) || entry.Username.Length > 100)
            {
                problems.Add($"username_required: entries[{i}].username must be a staff username");
            }
            if (entry.End <= entry.Start)
            {
                problems.Add($"shift_end_not_after_start: entries[{i}] ends at or before it starts");
            }
            Contact($"entries[{i}]", entry.Contact, webhookTargets, problems);
        }
        if (rota.Partners.Count > MaxPartners)
        {
            problems.Add($"too_many_partners: at most {MaxPartners}");
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < rota.Partners.Count; i++)
        {
            var partner = rota.Partners[i];
            if (!WebhookTargetNames.IsValid(partner.Id) || !ids.Add(partner.Id))
            {
                problems.Add($"partner_id_invalid: partners[{i}].id must be unique, letters, digits, '-' or '_'");
            }
            else if (partner.Id == rota.TeamLead || rota.Entries.Any(e => e.Username == partner.Id))
            {
                problems.Add($"partner_id_clash: partners[{i}].id is also a staff username");
            }
            if (!WebhookTargetNames.IsValid(partner.Kind))
            {
                problems.Add($"partner_kind_invalid: partners[{i}].kind (e.g. gp, out_of_hours, ambulance)");
            }
            if (partner.FromStep is < 1 or > 100)
            {
                problems.Add($"partner_from_step_invalid: partners[{i}].fromStep must be 1 to 100");
            }
            if (!Enum.IsDefined(partner.MinimumSeverity))
            {
                problems.Add($"partner_severity_invalid: partners[{i}].minimumSeverity");
            }
            Contact($"partners[{i}]", partner.Contact, webhookTargets, problems);
        }
        return problems;
    }

    private static void Contact(string where, RotaContact contact, IReadOnlySet<string> webhookTargets, List<string> problems)
    {
        if (contact.IsEmpty)
        {
            problems.Add($"contact_required: {where} needs an email or a webhook target");
            return;
        }
        if (!string.IsNullOrWhiteSpace(contact.Email) && (contact.Email.Length > 254 || !EmailShape().IsMatch(contact.Email)))
        {
            problems.Add($"invalid_email: {where}.email");
        }
        if (!string.IsNullOrWhiteSpace(contact.Webhook) && !webhookTargets.Contains(contact.Webhook))
        {
            problems.Add($"unknown_webhook_target: {where}.webhook is not in Notifications:Webhooks:Targets");
        }
    }

    [GeneratedRegex(@"^[^@\s<>,;""]+@[^@\s<>,;""]+\.[^@\s<>,;""]+$")]
    private static partial Regex EmailShape();
}
