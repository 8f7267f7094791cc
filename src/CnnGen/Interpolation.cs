namespace CnnGen;

/// <summary>How an up-sampling layer computes the values between input cells.</summary>
public enum Interpolation
{
    /// <summary>Each output cell copies the input cell it falls in (Keras 'nearest', PyTorch mode='nearest').</summary>
    Nearest,
    /// <summary>
    /// Bilinear (linear in 1-D) with half-pixel centres: Keras/TF2 'bilinear', PyTorch mode='bilinear'
    /// (1-D: 'linear') with align_corners=False. Cells past the border repeat the border.
    /// </summary>
    Bilinear,
}
