namespace CnnGen.Tests.Reference;

/// <summary>
/// Gradients of L = sum(outputGradient * output) by central differences on the double
/// reference: an independent check of every backward kernel.
/// </summary>
internal static class FiniteDifferences
{
    /// <summary>The step: small enough that a relu or max pooling kink is rarely crossed, large enough for double rounding (error ~1e-16 / h).</summary>
    public const double Step = 1e-6;

    public static double Loss(NetworkArchitecture network, double[] parameters, double[] input, int batch, float[] outputGradient, double[]? state = null)
    {
        var inputSize = input.Length / batch;
        var floatParameters = parameters;
        var loss = 0.0;
        for (var n = 0; n < batch; n++)
        {
            var output = ForwardDouble(network, floatParameters, input.AsSpan(n * inputSize, inputSize).ToArray(), state);
            for (var k = 0; k < output.Length; k++)
            {
                loss += output[k] * outputGradient[n * output.Length + k];
            }
        }

        return loss;
    }

    public static double Derivative(Func<double> loss, double[] values, int index)
    {
        var saved = values[index];
        values[index] = saved + Step;
        var plus = loss();
        values[index] = saved - Step;
        var minus = loss();
        values[index] = saved;
        return (plus - minus) / (2 * Step);
    }

    /// <summary>The reference forward with double parameters and input (so that a step of 1e-6 is exact).</summary>
    public static double[] ForwardDouble(NetworkArchitecture network, double[] parameters, double[] input, double[]? state = null) =>
        ReferenceNetwork.Walk(network, parameters, input, state)[^1];
}
