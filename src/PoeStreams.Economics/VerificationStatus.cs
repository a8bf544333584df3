namespace PoeStreams.Economics;

/// <summary>Verification state of a job. Only <see cref="Verified"/> jobs count toward Φ, scores, rewards and fees.</summary>
public enum VerificationStatus
{
    Pending,
    Verified,
    Failed,
    Disputed,
}
