namespace Telehealth.CareRecord.Caseload;

/// <summary>NHS number check (modulus 11, NHS Data Dictionary), so a mistyped number is caught on entry.</summary>
public static class NhsNumbers
{
    /// <summary>The reason code the API answers a number with a wrong length, a non-digit or a failed check digit.</summary>
    public const string InvalidReason = "invalid_nhs_number";

    public static bool IsValid(string? nhsNumber)
    {
        if (nhsNumber is not { Length: 10 } || !nhsNumber.All(char.IsAsciiDigit))
        {
            return false;
        }
        var sum = 0;
        for (var i = 0; i < 9; i++)
        {
            sum += (nhsNumber[i] - '0') * (10 - i);
        }
        var check = 11 - (sum % 11);
        if (check == 11)
        {
            check = 0;
        }
        return check != 10 && check == nhsNumber[9] - '0';
    }
}
