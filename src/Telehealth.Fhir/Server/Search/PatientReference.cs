namespace Telehealth.Fhir.Server.Search;

/// <summary>Reads the value of a <c>patient</c> reference parameter: <c>pat-x</c>, <c>Patient/pat-x</c> or an absolute URL ending in <c>Patient/pat-x</c>.</summary>
public static class PatientReference
{
    public static string ParseId(string value)
    {
        var text = value.Trim();
        var marker = text.LastIndexOf("Patient/", StringComparison.Ordinal);
        if (marker >= 0)
        {
            text = text[(marker + "Patient/".Length)..];
        }
        else if (text.Contains('/', StringComparison.Ordinal))
        {
            throw FhirServerException.BadRequest($"patient='{value}' must reference a Patient: an id, 'Patient/{{id}}' or an absolute URL ending in 'Patient/{{id}}'.");
        }
        if (text.Length == 0)
        {
            throw FhirServerException.BadRequest("The patient parameter needs a patient id.");
        }
        return text;
    }
}
