namespace PoeStreams.Economics.Minting;

/// <summary>
/// Whether and how much of a token an epoch mints, with the reason in words an operator can read
/// (e.g. <c>gamma 0.08 &lt; threshold 0.1</c>) and the supply before and after.
/// </summary>
public sealed record MintDecision(Token Token, bool Eligible, decimal Amount, string Reason, decimal SupplyBefore, decimal SupplyAfter);
