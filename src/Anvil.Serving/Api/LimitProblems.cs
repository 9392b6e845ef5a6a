using System.Globalization;
using Anvil.Registry;
using Microsoft.AspNetCore.Http;

namespace Anvil.Serving.Api;

/// <summary>The 429s of the plan's limits: which limit refused the request, and when (or how) to try again.</summary>
public static class LimitProblems
{
    /// <summary>A refusal before the body was read: the minute window is full or the month has nothing left.</summary>
    public static IResult FromPeek(HttpContext context, RateStatus rate, Plan plan) => rate.QuotaExceeded
        ? QuotaUsedUp(context, rate.RetryAfter, plan)
        : RateLimited(context, rate.RetryAfter, plan);

    /// <summary>A refused reservation: the minute window is full, the month is used up, or the request has more inputs than the month has left.</summary>
    public static IResult FromReservation(HttpContext context, Reservation reservation, Plan plan)
    {
        if (reservation.Status == UsageOutcomeStatus.RateLimited)
            return RateLimited(context, reservation.RetryAfter, plan);
        if (reservation.QuotaLeft == 0)
            return QuotaUsedUp(context, reservation.RetryAfter, plan);
        // room is left this month: a smaller request succeeds now, so there is no time to wait for
        return Problems.Of(429,
            $"The monthly quota of plan '{plan.Name}' has {reservation.QuotaLeft:N0} predictions left and this request has {reservation.Inputs:N0} inputs; send at most {reservation.QuotaLeft:N0} inputs, or move the key to a larger plan.");
    }

    /// <summary>A request refused at the group commit (a ledger without a reservation decided).</summary>
    public static IResult FromOutcome(HttpContext context, UsageOutcome outcome, Plan plan) => outcome.Status == UsageOutcomeStatus.QuotaExceeded
        ? QuotaUsedUp(context, outcome.RetryAfter, plan)
        : RateLimited(context, outcome.RetryAfter, plan);

    private static IResult RateLimited(HttpContext context, TimeSpan? retryAfter, Plan plan)
    {
        var seconds = RetryAfter(context, retryAfter);
        return Problems.Of(429, $"Plan '{plan.Name}' allows {plan.RequestsPerMinute:N0} requests per minute; retry in {seconds} s.");
    }

    private static IResult QuotaUsedUp(HttpContext context, TimeSpan? retryAfter, Plan plan)
    {
        var seconds = RetryAfter(context, retryAfter);
        return Problems.Of(429,
            $"The monthly quota of plan '{plan.Name}' ({plan.MonthlyQuota:N0} predictions) is used up; it resets in {seconds:N0} s. Move the key to a larger plan to continue now.");
    }

    private static long RetryAfter(HttpContext context, TimeSpan? retryAfter)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling((retryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }
}
