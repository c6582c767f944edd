using System;
using System.ComponentModel;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace VaeGen.Maths;

/// <summary>
/// The learned pseudo-inputs u_1..u_K of a VampPrior (Tomczak and Welling, 2018), p(z) = (1/K) sum_k q(z|u_k): the
/// generated model passes <see cref="Values"/> (and, for a conditional model, <see cref="Conditions"/>) through its own
/// encoder, so this module only holds the pseudo-inputs and keeps them valid inputs for it. Its parameters, in
/// parameters() and state_dict under these names:
/// <list type="bullet">
/// <item><c>inputs</c> [K, inputSize]. For data in [0, 1], drawn from N(0.5, 0.1^2) and read through hardtanh(., 0, 1):
/// the middle of the range, five standard deviations from either bound, so at the start every value lies inside, where
/// the clipping passes the gradient (a value clipped beyond a bound gets none). Otherwise drawn from N(0, 1), the scale of
/// standardized data, and used as they are.</item>
/// <item><c>condition_logits</c> [K, conditionSize], only when conditionSize &gt; 0: zeros for a class label (every
/// pseudo-input starts as the uniform mixture of classes), N(0, 1) for condition features.</item>
/// </list>
/// Both draws use TorchSharp's global generator, so torch.manual_seed makes them reproducible.
/// <see cref="ParameterCount"/> gives their number, K * (inputSize + conditionSize).
/// </summary>
/// <remarks>Generated models call this; it is public for them, and hidden from IntelliSense because user code has no need of it.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PseudoInputs : nn.Module
{
    // RegisterComponents names parameters after these fields, hence snake_case; not readonly, as Module.to replaces them.
    // condition_logits stays null, and unregistered, without a condition.
    private Parameter inputs;
    private Parameter? condition_logits;

    /// <summary>Creates the pseudo-inputs and registers them.</summary>
    /// <param name="name">The module's name.</param>
    /// <param name="count">K, the number of pseudo-inputs (mixture components of the prior), at least 1.</param>
    /// <param name="inputSize">Features of one input, at least 1.</param>
    /// <param name="unitInterval">Whether the data lie in [0, 1] (Bernoulli-type likelihoods): the values are then clipped to it.</param>
    /// <param name="conditionSize">Width of a conditional model's condition (its classes, for a class label); 0 for none.</param>
    /// <param name="conditionIsClassLabel">Whether the condition is a class label, given to the encoder one-hot.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range; the exception names it and gives its value.</exception>
    /// <exception cref="ArgumentException"><paramref name="conditionIsClassLabel"/> is set without a condition.</exception>
    public PseudoInputs(string name, int count, int inputSize, bool unitInterval, int conditionSize = 0, bool conditionIsClassLabel = false)
        : base(name)
    {
        RequireSizes(count, inputSize, conditionSize);
        if (conditionIsClassLabel && conditionSize == 0)
            throw new ArgumentException("A class-label condition needs conditionSize, its number of classes, to be at least 1.", nameof(conditionIsClassLabel));
        Count = count;
        InputSize = inputSize;
        ConditionSize = conditionSize;
        UnitInterval = unitInterval;
        ConditionIsClassLabel = conditionIsClassLabel;
        inputs = OwnedParameter.From(unitInterval ? empty(count, inputSize).normal_(0.5, 0.1) : randn(count, inputSize));
        if (conditionSize > 0)
            condition_logits = OwnedParameter.From(conditionIsClassLabel ? zeros(count, conditionSize) : randn(count, conditionSize));
        RegisterComponents();
    }

    /// <summary>K, the number of pseudo-inputs.</summary>
    public int Count { get; }

    /// <summary>Features of one pseudo-input.</summary>
    public int InputSize { get; }

    /// <summary>Width of the condition each pseudo-input carries; 0 for an unconditional model.</summary>
    public int ConditionSize { get; }

    /// <summary>Whether <see cref="Values"/> are clipped to [0, 1].</summary>
    public bool UnitInterval { get; }

    /// <summary>Whether <see cref="Conditions"/> are soft one-hot class labels rather than features.</summary>
    public bool ConditionIsClassLabel { get; }

    /// <summary>The raw pseudo-inputs, shape [K, inputSize] (state_dict name <c>inputs</c>); read them through <see cref="Values"/>.</summary>
    public Parameter Inputs => inputs;

    /// <summary>The raw conditions, shape [K, conditionSize] (state_dict name <c>condition_logits</c>), or null without a condition.</summary>
    public Parameter? ConditionLogits => condition_logits;

    /// <summary>Trainable parameters of pseudo-inputs with these sizes: K * inputSize values and K * conditionSize condition logits.</summary>
    /// <param name="count">K, at least 1.</param>
    /// <param name="inputSize">Features of one input, at least 1.</param>
    /// <param name="conditionSize">Width of the condition, 0 for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">A size is out of range.</exception>
    public static long ParameterCount(int count, int inputSize, int conditionSize)
    {
        RequireSizes(count, inputSize, conditionSize);
        return (long)count * ((long)inputSize + conditionSize);
    }

    /// <summary>
    /// The pseudo-inputs as the encoder takes them, shape [K, inputSize]: hardtanh(inputs, 0, 1) = min(max(inputs, 0), 1)
    /// for data in [0, 1], so they stay valid data for a Bernoulli-type encoder, with gradient 1 inside the interval and 0
    /// beyond it; else the parameter itself (as a new handle the caller may dispose). Gradients flow to <see cref="Inputs"/>.
    /// </summary>
    // clamp, not hardtanh: TorchSharp 0.107's out-of-place hardtanh (and nn.Hardtanh) returns its input unclipped.
    public Tensor Values() => UnitInterval ? inputs.clamp(CachedScalars.Zero, CachedScalars.One) : inputs.alias();

    /// <summary>
    /// The pseudo-inputs' conditions as the encoder takes them, shape [K, conditionSize]: for a class label,
    /// softmax(condition_logits) over the classes, a soft one-hot the encoder accepts in place of a one-hot; for
    /// features, the parameter itself (as a new handle the caller may dispose). Gradients flow to <see cref="ConditionLogits"/>.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model has no condition (conditionSize is 0).</exception>
    public Tensor Conditions()
    {
        if (condition_logits is null)
            throw new InvalidOperationException($"The pseudo-inputs of {GetName()} carry no condition: conditionSize is 0.");
        return ConditionIsClassLabel ? condition_logits.softmax(-1) : condition_logits.alias();
    }

    private static void RequireSizes(int count, int inputSize, int conditionSize)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "A VampPrior needs at least one pseudo-input.");
        if (inputSize < 1) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "A pseudo-input needs at least one feature.");
        if (conditionSize < 0) throw new ArgumentOutOfRangeException(nameof(conditionSize), conditionSize, "The condition's width cannot be negative; 0 means no condition.");
    }
}
