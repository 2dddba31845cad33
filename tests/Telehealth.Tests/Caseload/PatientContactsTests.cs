using Telehealth.CareRecord.Caseload;

namespace Telehealth.Tests.Caseload;

public sealed class PatientContactsTests
{
    [Theory]
    [InlineData("01632 960123", null)]
    [InlineData("+44 7700 900123", null)]
    [InlineData("(01632) 960-123", null)]
    [InlineData("999", "phone '999' is not a phone number (7 to 15 digits; +, spaces, hyphens and brackets allowed).")]
    [InlineData("0163296012345678", "phone '0163296012345678' is not a phone number (7 to 15 digits; +, spaces, hyphens and brackets allowed).")]
    [InlineData("07700 9OO123", "phone '07700 9OO123' is not a phone number (7 to 15 digits; +, spaces, hyphens and brackets allowed).")]
    [InlineData("44+7700900123", "phone '44+7700900123' is not a phone number (7 to 15 digits; +, spaces, hyphens and brackets allowed).")]
    [InlineData("  ", "phone is required.")]
    [InlineData(null, "phone is required.")]
    public void A_phone_number_is_dialable_or_refused_with_a_reason(string? number, string? problem) =>
        Assert.Equal(problem, PatientContacts.PhoneProblem(number));

    [Fact]
    public void Every_problem_is_named_with_its_place()
    {
        var contacts = new PatientContacts(
            [new PatientPhone(PhoneLabel.Home, "01632 960123"), new PatientPhone(PhoneLabel.Mobile, "12")],
            [new PatientContact("", ContactRelationship.Carer, "01632 960999"), new PatientContact("Sam Carer", ContactRelationship.NextOfKin, "x")]);

        Assert.Equal(
        [
            "phones[1]: phone '12' is not a phone number (7 to 15 digits; +, spaces, hyphens and brackets allowed).",
            "contacts[0]: name is required, at most 100 characters.",
            "contacts[1]: phone 'x' is not a phone number (7 to 15 digits; +, spaces, hyphens and brackets allowed).",
        ], contacts.Validate());
    }

    [Fact]
    public void Too_many_phones_or_contacts_are_refused()
    {
        var phones = Enumerable.Range(0, 6).Select(_ => new PatientPhone(PhoneLabel.Other, "01632 960123")).ToList();
        var people = Enumerable.Range(0, 11).Select(n => new PatientContact($"Person {n}", ContactRelationship.Other, "01632 960123")).ToList();

        Assert.Equal(["phones: at most 5.", "contacts: at most 10."], new PatientContacts(phones, people).Validate());
    }
}
