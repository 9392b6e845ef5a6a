using Anvil.Training.Data;
using Anvil.Training.Models;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Anvil.Training.Training;

/// <summary>
/// Knowledge distillation (Hinton et al. 2015): the student learns from a frozen teacher's softened outputs as well
/// as the labels. The loss is <c>w·T²·KL(softmax(teacher/T) ‖ softmax(student/T)) + (1 − w)·CE(student, labels)</c>;
/// T² keeps the soft term's gradients the same size as the hard term's when T changes. The teacher runs on the
/// same (augmented) batch in inference mode; the epoch figures and validation are the classification ones.
/// </summary>
/// <example>
/// <code>var step = new DistillationStep(teacher, temperature: 4, weight: 0.7, labelSmoothing: 0);</code>
/// </example>
/// <param name="teacher">A trained classifier with the student's inputs and classes; the caller owns and disposes it.</param>
/// <param name="temperature">T &gt; 0.</param>
/// <param name="weight">w in [0, 1]: 0 is plain cross-entropy, 1 learns from the teacher alone.</param>
/// <param name="labelSmoothing">Label smoothing of the cross-entropy term.</param>
public sealed class DistillationStep(SpecModel teacher, double temperature, double weight, double labelSmoothing) : ITrainingStep
{
    private readonly ClassificationStep _classification = new(labelSmoothing);

    /// <inheritdoc />
    public Tensor Loss(Tensor inputs, Tensor outputs, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var hard = _classification.Loss(inputs, outputs, targets);
        if (weight == 0)
            return hard.MoveToOuterDisposeScope();
        var soft = SoftLoss(outputs, TeacherLogits(inputs), temperature);
        return soft.mul(weight).add_(hard.mul(1 - weight)).MoveToOuterDisposeScope();
    }

    /// <summary>T²·KL(softmax(teacher/T) ‖ softmax(student/T)), averaged over the batch.</summary>
    /// <param name="student">(B, C) student logits.</param>
    /// <param name="teacher">(B, C) teacher logits, no gradient.</param>
    /// <param name="temperature">T &gt; 0.</param>
    public static Tensor SoftLoss(Tensor student, Tensor teacher, double temperature)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        using var scope = NewDisposeScope();
        var teacherLog = functional.log_softmax(teacher.div(temperature), 1); // (B, C)
        var studentLog = functional.log_softmax(student.div(temperature), 1); // (B, C)
        var perSample = teacherLog.exp().mul(teacherLog.sub(studentLog)).sum(1); // (B)
        return perSample.mean().mul(temperature * temperature).MoveToOuterDisposeScope();
    }

    /// <inheritdoc />
    public void Update(Tensor outputs, Tensor targets) => _classification.Update(outputs, targets);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, double> Compute() => _classification.Compute();

    /// <inheritdoc />
    public (double Loss, IReadOnlyDictionary<string, double> Metrics) Validate(SpecModel model, TensorDataset data) => _classification.Validate(model, data);

    private Tensor TeacherLogits(Tensor inputs)
    {
        // Eval mode: batch norm uses the teacher's running statistics and leaves them alone; no graph is kept.
        teacher.eval();
        using var noGrad = no_grad();
        return teacher.forward(inputs); // (B, C)
    }
}
