using Anvil.Training.Models;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn.functional;

namespace Anvil.Training.Privacy;

/// <summary>
/// A <see cref="RecurrentLayer"/>'s function written out as matrix products over time, with the layer's own weights, so
/// that each weight's per-example gradient is Σₜ gₜ aₜᵀ from the gradients of its products (Opacus's <c>DPLSTM</c>/<c>DPGRU</c>
/// do the same): per layer and direction, the input part of every step in one product (B, T, in) → (B, T, G·H), then the
/// recurrent part step by step (B, H) → (B, G·H). Gates in libtorch's order and placement: LSTM i, f, g, o; GRU r, z, n with
/// n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)). A step at or after a sequence's length keeps the state and outputs zero,
/// as the packed layer does, so it adds nothing to any gradient; the reverse direction starts at each sequence's last step.
/// </summary>
internal static class UnrolledRecurrence
{
    /// <summary>
    /// A weight's product: its input (B, T, in), detached, and its outputs — one (B, T, out) tensor, or one (B, out) per
    /// step — whose gradients g give the weight's per-example gradient Σₜ gₜᵀ aₜ and the bias's Σₜ gₜ.
    /// </summary>
    internal sealed record Product(Parameter Weight, Parameter Bias, Tensor Input, Tensor[] Outputs);

    /// <summary>(B, T, F) and lengths (B) or null → what <see cref="RecurrentLayer.forward"/> returns; adds each weight's product to <paramref name="products"/>.</summary>
    public static Tensor Forward(RecurrentLayer layer, Tensor input, Tensor? lengths, List<Product> products)
    {
        var steps = input.shape[1];
        // (B, T, 1): true at a sequence's valid steps; null when all are valid.
        var valid = lengths is null ? null : (arange(steps, device: input.device).unsqueeze(0) < lengths.unsqueeze(1)).unsqueeze(2);
        var x = input;
        var finals = Array.Empty<Tensor>();
        for (var k = 0; k < layer.NumLayers; k++)
        {
            var outputs = new Tensor[layer.Directions];
            finals = new Tensor[layer.Directions];
            for (var d = 0; d < layer.Directions; d++)
                (outputs[d], finals[d]) = Direction(layer, $"_l{k}{(d == 1 ? "_reverse" : "")}", d == 1, x, valid, products);
            x = outputs.Length == 1 ? outputs[0] : cat(outputs, 2); // (B, T, D·H)
        }
        return layer.ReturnSequences ? x : cat(finals, 1); // (B, T, D·H) or (B, D·H): forward then backward
    }

    // One direction of one layer over x (B, T, in) → its outputs (B, T, H) and its final state (B, H).
    private static (Tensor Outputs, Tensor Final) Direction(RecurrentLayer layer, string suffix, bool reverse, Tensor x, Tensor? valid, List<Product> products)
    {
        var (inputWeight, stateWeight) = (layer.Weight("weight_ih" + suffix), layer.Weight("weight_hh" + suffix));
        var (inputBias, stateBias) = (layer.Weight("bias_ih" + suffix), layer.Weight("bias_hh" + suffix));
        var (batch, steps) = (x.shape[0], (int)x.shape[1]);
        var fromInputs = linear(x, inputWeight, inputBias); // (B, T, G·H): every step's input part at once
        var h = zeros(batch, layer.Units, dtype: x.dtype, device: x.device);
        var c = layer.Kind == LayerTypes.Lstm ? zeros_like(h) : null;
        var (before, fromStates, outputs) = (new Tensor[steps], new Tensor[steps], new Tensor[steps]);
        for (var i = 0; i < steps; i++)
        {
            var t = reverse ? steps - 1 - i : i;
            before[t] = h;
            fromStates[t] = linear(h, stateWeight, stateBias); // (B, G·H)
            var fromInput = fromInputs.select(1, t);
            var (next, nextCell) = c is null ? (Gru(fromInput, fromStates[t], h), null) : Lstm(fromInput, fromStates[t], c);
            var keep = valid?.select(1, t); // (B, 1): a padded step keeps the state, and its products get no gradient
            h = keep is null ? next : where(keep, next, h);
            if (c is not null)
                c = keep is null ? nextCell! : where(keep, nextCell!, c);
            outputs[t] = h;
        }
        products.Add(new Product(inputWeight, inputBias, x.detach(), [fromInputs]));
        products.Add(new Product(stateWeight, stateBias, stack(before, 1).detach(), fromStates));
        var sequence = stack(outputs, 1); // (B, T, H)
        return (valid is null ? sequence : sequence * valid, h);
    }

    // libtorch's GRU cell: gates r, z, n in that order, the reset gate applied to the recurrent part with its bias.
    private static Tensor Gru(Tensor fromInput, Tensor fromState, Tensor h)
    {
        var units = h.shape[1];
        var gates = (fromInput.narrow(1, 0, 2 * units) + fromState.narrow(1, 0, 2 * units)).sigmoid().chunk(2, 1); // r, z
        var n = (fromInput.narrow(1, 2 * units, units) + gates[0] * fromState.narrow(1, 2 * units, units)).tanh();
        return n + gates[1] * (h - n); // (1 − z) ⊙ n + z ⊙ h
    }

    // libtorch's LSTM cell: gates i, f, g, o → (h, c).
    private static (Tensor, Tensor) Lstm(Tensor fromInput, Tensor fromState, Tensor c)
    {
        var gates = (fromInput + fromState).chunk(4, 1);
        var cell = gates[1].sigmoid() * c + gates[0].sigmoid() * gates[2].tanh();
        return (gates[3].sigmoid() * cell.tanh(), cell);
    }
}
