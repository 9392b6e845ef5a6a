using Anvil.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Anvil.Training.Privacy;

/// <summary>
/// One layer's part of the per-example gradients: each example's squared gradient norm (B), and the sums of its examples'
/// gradients weighted by a per-example scale (B) — computed as one matrix product or one scatter, without a tensor per
/// example where the layer allows.
/// </summary>
internal sealed record LayerGradients(Tensor NormSquared, Func<Tensor, IEnumerable<(Parameter, Tensor)>> Sums)
{
    // y = a Wᵀ + b over (B, [T,] in), g = ∂loss/∂y, either frozen weight null. Per example ∂W = Σₜ gₜᵀ aₜ and ∂b = Σₜ gₜ; with
    // one step (T = 1) ‖∂W‖² = ‖g‖²‖a‖², over many the smaller of the (B, T, T) Gram matrices and the (B, out, in) gradients.
    // Weighted sums: ∂W = (s·g)ᵀ a over all examples and steps, one matrix product.
    public static LayerGradients Dense(Parameter? weight, Parameter? bias, Tensor input, Tensor gradient)
    {
        var batch = input.shape[0];
        var a = input.reshape(batch, -1, input.shape[^1]);            // (B, T, in)
        var g = gradient.reshape(batch, -1, gradient.shape[^1]);      // (B, T, out)
        var norm = zeros(batch);
        if (weight is not null)
            norm = norm + (a.shape[1] == 1 ? g.pow(2).sum([1, 2]) * a.pow(2).sum([1, 2]) : ProductNorm(g, a));
        if (bias is not null)
            norm = norm + g.sum(1).pow(2).sum(1);
        return new LayerGradients(norm, Sums);

        IEnumerable<(Parameter, Tensor)> Sums(Tensor scale)
        {
            var weighted = (g * scale.view(batch, 1, 1)).reshape(-1, g.shape[2]); // (B·T, out)
            if (weight is not null)
                yield return (weight, weighted.t().matmul(a.reshape(-1, a.shape[2])));
            if (bias is not null)
                yield return (bias, weighted.sum(dim: 0)); // dim: a bare 0 would convert to ScalarType.Byte and pick sum(type)
        }
    }

    // Per example ∂W = g · unfold(a)ᵀ over the L output positions and ∂b = Σ positions of g; the weighted sum is one product
    // over all examples and positions.
    public static LayerGradients Convolution(Conv2d layer, Tensor input, Tensor gradient)
    {
        var batch = input.shape[0];
        var (k, d, p, s) = (layer.kernel_size, layer.dilation, layer.padding!, layer.stride);
        var columns = nn.functional.unfold(input, (k[0], k[1]), (d[0], d[1]), (p[0], p[1]), (s[0], s[1])).transpose(1, 2); // (B, L, C·kh·kw)
        var g = gradient.reshape(batch, layer.out_channels, -1).transpose(1, 2);                                            // (B, L, O)
        var dense = Dense(Trainable(layer.weight), Trainable(layer.bias), columns, g);
        return dense with { Sums = scale => dense.Sums(scale).Select(sum => ReferenceEquals(sum.Item1, layer.weight) ? (sum.Item1, sum.Item2.view(layer.weight!.shape)) : sum) };
    }

    // E[id] is the output at each step of ids (B, T), g = ∂loss/∂output (B, T, D). Per example ∂E = Σₜ e_{idₜ} gₜᵀ: its rows
    // are the sums of g over the steps with the same id, so its norm comes from grouping each example's rows by id — (B·T, D)
    // at most, never (B, V, D). The pad id's row gets nothing (libtorch's padding_idx), and the weighted sum is one scatter.
    public static LayerGradients Embedding(Embedding layer, Tensor ids, Tensor gradient)
    {
        var (batch, width) = (ids.shape[0], gradient.shape[^1]);
        var weight = layer.get_parameter("weight")!; // the object parameters() returns, which Embedding.weight is not
        var g = (gradient * ids.ne(InputKinds.PadId).unsqueeze(2).to(gradient.dtype)).reshape(-1, width); // (B·T, D)
        var vocabulary = weight.shape[0];
        var keys = (arange(batch, device: ids.device).unsqueeze(1) * vocabulary + ids).flatten();       // (B·T): example and id
        var (unique, inverse, _) = keys.unique(return_inverse: true);
        var rows = zeros(unique.shape[0], width, dtype: g.dtype).index_add_(0, inverse!, g, alpha: 1);            // (U, D): each example's nonzero rows of ∂E
        var norm = zeros(batch, dtype: g.dtype).index_add_(0, unique.div(vocabulary, rounding_mode: RoundingMode.floor), rows.pow(2).sum(1), alpha: 1);
        return new LayerGradients(norm, scale =>
            [(weight, zeros_like(weight).index_add_(0, ids.flatten(), g * scale.repeat_interleave(ids.shape[1]).unsqueeze(1), alpha: 1))]);
    }

    /// <summary>The parameter when it is trained, otherwise null.</summary>
    public static Parameter? Trainable(Parameter? parameter) => parameter is { requires_grad: true } ? parameter : null;

    // ‖Σₜ gₜᵀ aₜ‖² per example: Σₜ,ᵤ (gₜ·gᵤ)(aₜ·aᵤ) from (B, T, T) Gram matrices (ghost norm, Li et al. 2022) when T² is
    // below out·in, otherwise from the per-example gradients (B, out, in).
    private static Tensor ProductNorm(Tensor g, Tensor a)
    {
        var steps = g.shape[1];
        return steps * steps <= g.shape[2] * a.shape[2]
            ? (bmm(g, g.transpose(1, 2)) * bmm(a, a.transpose(1, 2))).sum([1, 2])
            : bmm(g.transpose(1, 2), a).pow(2).sum([1, 2]);
    }
}
