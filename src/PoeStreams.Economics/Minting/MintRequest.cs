using PoeStreams.Economics.Numerics;

namespace PoeStreams.Economics.Minting;

/// <summary>
/// A governance-authorised request to mint <see cref="Amount"/> of <see cref="Token"/> in one epoch on top
/// of what the epoch rule mints. It is granted only if the rule finds the token eligible in that epoch and
/// the epoch's total stays within the token's limit (<see cref="MintPolicy"/>); GEN is never granted.
/// </summary>
public sealed record MintRequest(string RequestId, Token Token, decimal Amount)
{
    /// <summary>Why an amount cannot be requested at all, or null: it must be positive with at most 8 decimal places.</summary>
    public static string? AmountProblem(decimal amount) =>
        amount <= 0m ? $"the amount must be positive, got {DecimalMath.ToDisplayString(amount)}"
        : DecimalMath.FloorToTokenScale(amount) != amount ? $"the amount has more than {DecimalMath.TokenScale} decimal places: {DecimalMath.ToDisplayString(amount)}"
        : null;
}

/// <summary>What became of a <see cref="MintRequest"/>, with the reason in an operator's words.</summary>
public sealed record MintRequestOutcome(MintRequest Request, bool Granted, string Reason);
