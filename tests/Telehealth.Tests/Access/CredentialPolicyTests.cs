using Telehealth.CareRecord.Staff;

namespace Telehealth.Tests.Access;

public sealed class CredentialPolicyTests
{
    [Theory]
    [InlineData("nurse.jones", "correct horse battery", new string[0])]
    [InlineData("nurse.jones", "twelve-chars", new string[0])]
    [InlineData("nurse.jones", null, new[] { "password is required." })]
    [InlineData("nurse.jones", "short", new[] { "password must be at least 12 characters." })]
    [InlineData("nurse.jones", "            ", new[] { "password must not be only spaces.", "password must use at least 4 different characters." })]
    [InlineData("nurse.jones", "NURSE.JONES-2026", new[] { "password must not contain the username." })]
    [InlineData("nurse.jones", "abababababab", new[] { "password must use at least 4 different characters." })]
    public void A_password_is_judged_with_every_problem_named(string username, string? password, string[] problems) =>
        Assert.Equal(problems, PasswordPolicy.Check(username, password));

    [Fact]
    public void A_password_longer_than_sign_in_accepts_is_refused() =>
        Assert.Equal(["password must be at most 1024 characters."], PasswordPolicy.Check("nurse.jones", new string('x', 1_020) + "abcde"));

    [Theory]
    [InlineData("nurse.jones", null)]
    [InlineData("tel_support-2", null)]
    [InlineData("", "username is required.")]
    [InlineData(null, "username is required.")]
    [InlineData("Nurse", "username may contain only lower-case letters, digits, '.', '-' and '_'.")]
    [InlineData("a b", "username may contain only lower-case letters, digits, '.', '-' and '_'.")]
    public void A_username_is_plain_lower_case(string? username, string? problem) =>
        Assert.Equal(problem, UsernamePolicy.Problem(username));

    [Fact]
    public void A_username_is_at_most_64_characters()
    {
        Assert.Null(UsernamePolicy.Problem(new string('a', 64)));
        Assert.Equal("username is at most 64 characters.", UsernamePolicy.Problem(new string('a', 65)));
    }
}
