using PoeStreams.Economics.Configuration;

namespace PoeStreams.Economics;

/// <summary>Circulating supply per token: genesis or initial supply plus everything minted (SPEC §7).</summary>
public sealed record SupplyState(decimal Gen, decimal Nex, decimal Flx, decimal Aur)
{
    /// <summary>Supplies before the first epoch: GEN's genesis allocation and the configured initial supplies.</summary>
    public static SupplyState Initial(TokenSupplyParameters parameters) =>
        new(GenesisAllocation.TotalSupply, parameters.NexInitialSupply, parameters.FlxInitialSupply, parameters.AurInitialSupply);

    public decimal this[Token token] => token switch
    {
        Token.GEN => Gen,
        Token.NEX => Nex,
        Token.FLX => Flx,
        Token.AUR => Aur,
        _ => throw new ArgumentOutOfRangeException(nameof(token), token, null),
    };

    /// <summary>The supply after minting <paramref name="amount"/> of <paramref name="token"/>. GEN cannot be minted.</summary>
    public SupplyState WithMinted(Token token, decimal amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        return token switch
        {
            Token.GEN when amount == 0m => this,
            Token.GEN => throw new InvalidOperationException("GEN has a fixed supply and is never minted."),
            Token.NEX => this with { Nex = Nex + amount },
            Token.FLX => this with { Flx = Flx + amount },
            Token.AUR => this with { Aur = Aur + amount },
            _ => throw new ArgumentOutOfRangeException(nameof(token), token, null),
        };
    }
}
