namespace Telehealth.Contracts.Storage;

/// <summary>
/// The care-record database cannot be used by this build: made before schema versioning in a shape that is not the
/// baseline, or at a schema version newer than this build knows. Thrown at start, before any store is used; the
/// message is one line an operator can act on (it names the data-folder setting) and the host prints it as it is.
/// </summary>
public sealed class DatabaseSchemaException : Exception
{
    public DatabaseSchemaException()
    {
    }

    public DatabaseSchemaException(string message)
        : base(message)
    {
    }

    public DatabaseSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
