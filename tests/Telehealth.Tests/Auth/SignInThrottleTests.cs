using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Time.Testing;
using Telehealth.Clinician.Web.Auth;

namespace Telehealth.Tests.Auth;

public sealed class SignInThrottleTests
{
    private const string Nurse = "nurse-a";
    private const string Attacker = "203.0.113.9";
    private const string Ward = "198.51.100.20";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero));
    private readonly SignInOptions _options = new();
    private readonly SignInThrottle _throttle;

    public SignInThrottleTests()
    {
        _throttle = new SignInThrottle(_options, _time);
    }

    private SignInDecision Fail(string username = Nurse, string source = Attacker)
    {
        var decision = _throttle.TryBegin(username, source);
        if (decision.Allowed)
        {
            _throttle.Complete(username, source, succeeded: false);
        }
        return decision;
    }

    [Theory]
    [InlineData(4, 0)]
    [InlineData(5, 30)]
    [InlineData(6, 60)]
    [InlineData(7, 120)]
    [InlineData(8, 240)]
    [InlineData(9, 300)]    // capped at MaxLockout (5 min): never longer, however long the guessing goes on
    [InlineData(40, 300)]
    [InlineData(int.MaxValue, 300)]
    public void Lockout_doubles_from_the_free_limit_and_is_capped(int failures, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), SignInThrottle.LockoutAfter(failures, 5, _options));
    }

    [Fact]
    public void Five_failures_are_free_and_the_sixth_attempt_is_refused_for_30_seconds()
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Assert.True(Fail().Allowed, $"attempt {attempt}");
        }

        Assert.Equal(new SignInDecision(false, SignInLimit.Account, TimeSpan.FromSeconds(30), FirstRefusal: true), Fail());
        _time.Advance(TimeSpan.FromSeconds(10.5));
        Assert.Equal(new SignInDecision(false, SignInLimit.Account, TimeSpan.FromSeconds(20), FirstRefusal: false), Fail());
    }

    [Fact]
    public void After_each_lockout_one_attempt_is_let_through_and_its_failure_doubles_the_next()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Fail();
        }
        var lockouts = new List<double>();
        for (var round = 0; round < 6; round++)
        {
            var refused = Fail();
            Assert.False(refused.Allowed);
            lockouts.Add(refused.RetryAfter.TotalSeconds);
            _time.Advance(refused.RetryAfter);
            Assert.True(Fail().Allowed);
        }

        Assert.Equal([30, 60, 120, 240, 300, 300], lockouts);
    }

    [Fact]
    public void A_correct_password_after_the_lockout_clears_the_account()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Fail(source: Ward);
        }
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(_throttle.TryBegin(Nurse, Ward).Allowed);
        _throttle.Complete(Nurse, Ward, succeeded: true);

        // The account starts afresh; the ward's address keeps its five failures (20 are free per source).
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Assert.True(Fail(source: Ward).Allowed, $"attempt {attempt}");
        }
        Assert.Equal(SignInLimit.Account, Fail(source: Ward).Limit);
    }

    [Fact]
    public void A_locked_account_still_lets_a_source_with_no_failures_try_so_staff_are_never_locked_out()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Fail(source: Attacker);
        }
        Assert.False(_throttle.TryBegin(Nurse, Attacker).Allowed);

        // The nurse's own workstation has not been failing: it may try, one attempt at a time.
        Assert.True(_throttle.TryBegin(Nurse, Ward).Allowed);
        Assert.Equal(SignInLimit.Account, _throttle.TryBegin(Nurse, Ward).Limit);
        _throttle.Complete(Nurse, Ward, succeeded: true);

        Assert.True(_throttle.TryBegin(Nurse, Attacker).Allowed);
    }

    [Fact]
    public void A_clean_source_that_fails_against_a_locked_account_is_then_refused_too()
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            Fail(source: Attacker);
        }

        Assert.True(Fail(source: Ward).Allowed);

        var refused = Fail(source: Ward);
        Assert.Equal(SignInLimit.Account, refused.Limit);
        Assert.Equal(TimeSpan.FromSeconds(60), refused.RetryAfter);
    }

    [Fact]
    public void One_source_guessing_many_accounts_is_locked_after_twenty_failures()
    {
        for (var account = 1; account <= 20; account++)
        {
            Assert.True(Fail(username: $"user-{account}").Allowed, $"account {account}");
        }

        var refused = Fail(username: "user-21");

        Assert.Equal(new SignInDecision(false, SignInLimit.Source, TimeSpan.FromSeconds(30), FirstRefusal: true), refused);
        Assert.True(Fail(username: "user-21", source: Ward).Allowed);
    }

    [Fact]
    public void Failures_are_forgotten_after_the_failure_memory()
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            Fail();
        }
        _time.Advance(_options.FailureMemory);

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Assert.True(Fail().Allowed, $"attempt {attempt}");
        }
        Assert.False(Fail().Allowed);
    }

    [Fact]
    public void Attempts_in_flight_count_so_parallel_guesses_cannot_slip_past_the_limit()
    {
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            Assert.True(_throttle.TryBegin(Nurse, Attacker).Allowed, $"attempt {attempt}");
        }

        var sixth = _throttle.TryBegin(Nurse, Attacker);

        Assert.Equal(new SignInDecision(false, SignInLimit.Account, SignInThrottle.InFlightRetryAfter, FirstRefusal: false), sixth);
    }

    [Fact]
    public void An_abandoned_attempt_counts_neither_as_failure_nor_success()
    {
        for (var attempt = 0; attempt < 4; attempt++)
        {
            Fail();
        }
        Assert.True(_throttle.TryBegin(Nurse, Attacker).Allowed);
        _throttle.Abandon(Nurse, Attacker);

        Assert.True(Fail().Allowed);
        Assert.False(Fail().Allowed);
    }

    [Fact]
    public void Tracked_keys_are_bounded_and_forgotten_ones_make_room()
    {
        var throttle = new SignInThrottle(new SignInOptions { MaxTrackedKeys = 2 }, _time);
        foreach (var name in new[] { "a", "b" })
        {
            Assert.True(throttle.TryBegin(name, name).Allowed);
            throttle.Complete(name, name, succeeded: false);
        }

        Assert.Equal(SignInLimit.Capacity, throttle.TryBegin("c", "c").Limit);
        Assert.Equal(4, throttle.TrackedKeys);

        _time.Advance(_options.FailureMemory);
        Assert.True(throttle.TryBegin("c", "c").Allowed);
        Assert.Equal(2, throttle.TrackedKeys);
    }

    [Fact]
    public void A_success_leaves_nothing_tracked_for_an_account_and_source_without_failures()
    {
        Assert.True(_throttle.TryBegin(Nurse, Ward).Allowed);
        _throttle.Complete(Nurse, Ward, succeeded: true);

        Assert.Equal(0, _throttle.TrackedKeys);
    }

    public static TheoryData<string, string, string> InvalidOptions() => new()
    {
        { "00:01:00", "00:00:30", "00:15:00" },   // MaxLockout below BaseLockout
        { "00:00:30", "00:05:00", "00:05:00" },   // FailureMemory not longer than MaxLockout
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Options_that_would_forget_failures_during_a_lockout_or_invert_it_are_refused(string baseLockout, string maxLockout, string memory)
    {
        var options = new SignInOptions { BaseLockout = TimeSpan.Parse(baseLockout), MaxLockout = TimeSpan.Parse(maxLockout), FailureMemory = TimeSpan.Parse(memory) };

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
        var defaults = new SignInOptions();
        Assert.True(Validator.TryValidateObject(defaults, new ValidationContext(defaults), [], validateAllProperties: true));
    }
}
