using CnnGen.Training;

namespace Signal1D;

/// <summary>
/// Made-up multi-channel signals: every channel is Gaussian noise, and one channel chosen at
/// random also carries a waveform of random period, phase and amplitude. The class is the
/// waveform: sine, square, sawtooth, or for "noise" a burst of extra noise as strong as a
/// waveform, so that loudness alone does not give the answer away.
/// </summary>
public static class SyntheticSignals
{
    public const int Steps = 128;
    public const int Channels = 3;

    public static readonly string[] Classes = ["sine", "square", "sawtooth", "noise"];

    /// <summary><paramref name="count"/> samples in equal numbers per class, in random order: Steps x Channels floats each, channels last.</summary>
    public static Dataset Generate(int count, int seed)
    {
        var random = new Random(seed);
        var inputs = new float[count * Steps * Channels];
        var labels = new int[count];
        for (var n = 0; n < count; n++)
        {
            labels[n] = n % Classes.Length;
            Write(labels[n], random, inputs.AsSpan(n * Steps * Channels, Steps * Channels));
        }

        return Dataset.FromLabels(inputs, Steps * Channels, labels, Classes.Length).Shuffle(seed);
    }

    private static void Write(int label, Random random, Span<float> sample)
    {
        for (var i = 0; i < sample.Length; i++)
        {
            sample[i] = 0.3f * Gaussian(random);
        }

        var channel = random.Next(Channels);
        var period = 8 + 24 * random.NextDouble();
        var phase = random.NextDouble();
        var amplitude = 0.8 + 0.4 * random.NextDouble();
        for (var t = 0; t < Steps; t++)
        {
            // Where in its cycle the waveform is at step t, from 0 to 1.
            var cycle = (t / period + phase) % 1.0;
            var value = Classes[label] switch
            {
                "sine" => Math.Sin(2 * Math.PI * cycle),
                "square" => cycle < 0.5 ? 1.0 : -1.0,
                "sawtooth" => 2 * cycle - 1,
                _ => 0.75 * Gaussian(random), // about the root mean square of the waveforms
            };
            sample[t * Channels + channel] += (float)(amplitude * value);
        }
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
