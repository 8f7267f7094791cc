using System;

namespace CnnGen;

/// <summary>Weight initialisers with Keras semantics, driven by a <see cref="SeededRandom"/>.</summary>
public static class Initializers
{
    /// <summary>
    /// Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fanIn + fanOut)). For a
    /// convolution, fan-in is kernel area x input channels and fan-out kernel area x filters.
    /// </summary>
    public static void GlorotUniform(Span<float> weights, int fanIn, int fanOut, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var limit = Math.Sqrt(6.0 / Math.Max(1, fanIn + fanOut));
        for (var i = 0; i < weights.Length; i++)
        {
            weights[i] = (float)((random.NextDouble() * 2.0 - 1.0) * limit);
        }
    }

    /// <summary>He (Kaiming) normal: N(0, 2 / fanIn), truncated at two standard deviations as in Keras.</summary>
    public static void HeNormal(Span<float> weights, int fanIn, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        // Keras divides by the standard deviation of a normal truncated at 2 sigma (0.8796...).
        var stddev = Math.Sqrt(2.0 / Math.Max(1, fanIn)) / 0.87962566103423978;
        for (var i = 0; i < weights.Length; i++)
        {
            double sample;
            do
            {
                sample = random.NextNormal();
            }
            while (Math.Abs(sample) > 2.0);

            weights[i] = (float)(sample * stddev);
        }
    }

    /// <summary>Glorot uniform over the kernels and zero biases of every layer of a network.</summary>
    public static void GlorotUniform(INetwork network, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(network);
        foreach (var layer in network.Architecture.Layers)
        {
            if (layer.ParameterCount == 0)
            {
                continue;
            }

            var parameters = network.Parameters.Slice(layer.ParameterOffset, layer.ParameterCount);
            if (IsScaleAndShift(layer, parameters))
            {
                continue;
            }

            GlorotUniform(parameters[..layer.KernelLength], layer.FanIn, layer.FanOut, random);
            parameters[layer.KernelLength..].Clear();
        }
    }

    /// <summary>He normal over the kernels and zero biases of every layer of a network.</summary>
    public static void HeNormal(INetwork network, SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(network);
        foreach (var layer in network.Architecture.Layers)
        {
            if (layer.ParameterCount == 0)
            {
                continue;
            }

            var parameters = network.Parameters.Slice(layer.ParameterOffset, layer.ParameterCount);
            if (IsScaleAndShift(layer, parameters))
            {
                continue;
            }

            HeNormal(parameters[..layer.KernelLength], layer.FanIn, random);
            parameters[layer.KernelLength..].Clear();
        }
    }

    /// <summary>Batch normalisation starts as the identity on normalised values (gamma 1, beta 0, as Keras): true after setting them.</summary>
    private static bool IsScaleAndShift(LayerInfo layer, Span<float> parameters)
    {
        if (layer.Kind != LayerKind.BatchNormalization)
        {
            return false;
        }

        parameters[..layer.KernelLength].Fill(1f);
        parameters[layer.KernelLength..].Clear();
        return true;
    }
}
