namespace Telehealth.Fhir.Server.Search;

/// <summary>The requested order: by the resource's clinically relevant time, newest first unless asked otherwise.</summary>
public enum SearchSort
{
    DateDescending,
    DateAscending,
}
