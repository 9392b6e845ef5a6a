using Anvil.Training.Models;
using Anvil.Training.Tests.Support;
using Anvil.Training.Training;
using static TorchSharp.torch;

namespace Anvil.Training.Tests.Training;

public class DistillationStepTests
{
    private static SpecModel Teacher()
    {
        manual_seed(7);
        var teacher = ModelBuilder.Build(TinyData.SmallCnn());
        teacher.train(); // the step must switch it to inference itself
        return teacher;
    }

    // Plain double arithmetic, independent of the tensor code under test.
    private static double[] LogSoftmax(double[] logits, double temperature)
    {
        var scaled = logits.Select(z => z / temperature).ToArray();
        var max = scaled.Max();
        var logSum = max + Math.Log(scaled.Sum(z => Math.Exp(z - max)));
        return scaled.Select(z => z - logSum).ToArray();
    }

    private static double HandLoss(double[][] student, double[][] teacher, long[] labels, double temperature, double weight)
    {
        double soft = 0, hard = 0;
        for (var i = 0; i < student.Length; i++)
        {
            var logP = LogSoftmax(teacher[i], temperature);
            var logQ = LogSoftmax(student[i], temperature);
            soft += logP.Select((lp, c) => Math.Exp(lp) * (lp - logQ[c])).Sum();
            hard -= LogSoftmax(student[i], 1)[labels[i]];
        }
        return weight * temperature * temperature * soft / student.Length + (1 - weight) * hard / student.Length;
    }

    private static double[][] Rows(Tensor logits) =>
        Enumerable.Range(0, (int)logits.shape[0]).Select(i => logits[i].to(ScalarType.Float64).data<double>().ToArray()).ToArray();

    [Fact]
    public void SoftLossIsTSquaredTimesTheKlDivergenceOnHandMadeLogits()
    {
        double[][] student = [[1.0, -0.5, 2.0], [0.2, 0.1, -1.3]];
        double[][] teacher = [[3.0, 0.0, 1.0], [-2.0, 1.5, 0.5]];
        using var s = tensor(student.SelectMany(r => r).Select(v => (float)v).ToArray(), [2, 3]);
        using var t = tensor(teacher.SelectMany(r => r).Select(v => (float)v).ToArray(), [2, 3]);

        using var loss = DistillationStep.SoftLoss(s, t, temperature: 2.5);

        Assert.Equal(HandLoss(student, teacher, [0, 0], 2.5, weight: 1), loss.item<float>(), 5);
    }

    [Fact]
    public void LossMixesTheTeachersSoftTargetsAndTheLabelsByWeight()
    {
        using var teacher = Teacher();
        using var data = TinyData.Images(6, seed: 4);
        manual_seed(2);
        using var studentLogits = randn(6, 2);
        var step = new DistillationStep(teacher, temperature: 3, weight: 0.7, labelSmoothing: 0);

        using var loss = step.Loss(data.Features, studentLogits, data.Targets);

        teacher.eval();
        using var teacherLogits = teacher.forward(data.Features);
        var expected = HandLoss(Rows(studentLogits), Rows(teacherLogits), data.Targets.data<long>().ToArray(), 3, 0.7);
        Assert.Equal(expected, loss.item<float>(), 5);
    }

    [Fact]
    public void WeightZeroIsPlainCrossEntropy()
    {
        using var teacher = Teacher();
        using var data = TinyData.Images(8, seed: 5);
        manual_seed(3);
        using var studentLogits = randn(8, 2);

        using var distilled = new DistillationStep(teacher, temperature: 4, weight: 0, labelSmoothing: 0).Loss(data.Features, studentLogits, data.Targets);
        using var plain = new ClassificationStep(0).Loss(data.Features, studentLogits, data.Targets);

        Assert.Equal(plain.item<float>(), distilled.item<float>());
    }

    [Fact]
    public void TheTeacherStaysFrozenWhileTheStudentLearns()
    {
        using var teacher = Teacher();
        var before = teacher.state_dict().ToDictionary(p => p.Key, p => p.Value.clone());
        using var train = TinyData.Images(64);
        manual_seed(1);
        using var student = ModelBuilder.Build(TinyData.SmallCnn());
        var recipe = new Recipe { Model = "tiny-cnn", Epochs = 2, BatchSize = 16, Optimizer = "adam", LearningRate = 0.01, ValidationFraction = 0, Seed = 3 };

        var result = new Trainer(student, recipe, step: new DistillationStep(teacher, 4, 0.7, 0)).Fit(train);

        Assert.Equal(2, result.History.Count);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss, "the student's loss should fall");
        // Weights and batch-norm running statistics alike: the teacher ran in inference mode.
        Assert.All(teacher.state_dict(), p => Assert.True(p.Value.eq(before[p.Key]).all().item<bool>(), $"teacher's {p.Key} changed"));
        Assert.All(teacher.parameters(), p => Assert.Null(p.grad));
    }

    [Theory]
    [InlineData("{\"distill\": {\"teacher\": \"01ab\", \"temperature\": 0}}", "distill.temperature must be positive, e.g. 4, got 0.")]
    [InlineData("{\"distill\": {\"teacher\": \"01ab\", \"weight\": 1.5}}", "distill.weight must be in [0, 1], e.g. 0.7, got 1.5.")]
    [InlineData("{\"distill\": {\"teacher\": \"01ab\", \"weight\": -0.1}}", "distill.weight must be in [0, 1], e.g. 0.7, got -0.1.")]
    [InlineData("{\"distill\": {\"teacher\": \" \"}}", "distill.teacher must name the teacher's run")]
    public void BadDistillFieldsGiveOneLineErrors(string json, string message)
    {
        var recipe = Recipe.FromJson(json);

        var error = Assert.Throws<ArgumentException>(recipe.Validate);

        Assert.Contains(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void DistillFieldsReadFromSnakeCaseJsonWithHintonsDefaults()
    {
        var recipe = Recipe.FromJson("{\"distill\": {\"teacher\": \"01ab\", \"temperature\": 2}}");

        Assert.Equal(new DistillationOptions { Teacher = "01ab", Temperature = 2, Weight = 0.7 }, recipe.Distill);
        Assert.Contains("\"distill\"", recipe.ToJson());
    }
}
