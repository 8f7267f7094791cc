#!/usr/bin/python3
"""Small PyTorch models exported to ONNX for the importer tests (OnnxImportTests.cs, CLI tests).

Run from any directory with Debian's PyTorch and ONNX (apt-get install python3-torch python3-onnx;
torch 1.13, onnx 1.12):

    /usr/bin/python3 tests/CnnGen.Tests/Data/onnx/make_models.py

It writes NAME.onnx beside itself for every model below. The tests need no Python: they import
each file with `OnnxImporter`, compile the result with the generator, load the weights and
compare the generated code with ONNX Runtime running the same file on the same input.

MODELS are networks that CnnGen expresses today; each comment says what it covers (OLD_OPSET
exports two of them again in opset 9). ERRORS are models that the importer must refuse with a
clear message (operators and options that come with the new layers, PyTorch paddings that are
not Keras 'same', several outputs, ...).
Weights are PyTorch's default initialisation under a fixed seed per model, so a rerun writes
the same models (byte for byte, with the same torch version).
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


class LeNet(nn.Module):
    """LeNet-5 on 1x28x28: padding=2 on a 5x5 kernel is 'same'; x.view(-1, 400) is a Reshape to N x -1."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = x.view(-1, 16 * 5 * 5)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


class Conv1dStack(nn.Module):
    """Conv1d with dilation and symmetric 'same' pads, F.pad before a convolution (causal; asymmetric
    'same'), a strided valid convolution, 1-D max pooling with 'same' pads, average pooling,
    mean over the length (ReduceMean) and a softmax over the classes."""

    def __init__(self):
        super().__init__()
        self.dilated = nn.Conv1d(3, 8, 3, dilation=2, padding=2)
        self.causal = nn.Conv1d(8, 8, 3, dilation=2)
        self.strided = nn.Conv1d(8, 16, 5, stride=2)
        self.even = nn.Conv1d(16, 16, 4)
        self.pool = nn.MaxPool1d(3, stride=2, padding=1)
        self.average = nn.AvgPool1d(2)
        self.head = nn.Linear(16, 5)

    def forward(self, x):
        x = F.elu(self.dilated(x))
        x = torch.tanh(self.causal(F.pad(x, (4, 0))))
        x = F.softplus(self.strided(x))
        x = self.even(F.pad(x, (1, 2)))
        x = self.average(self.pool(x))
        x = x.mean(dim=2)
        return F.softmax(self.head(x), dim=1)


class StridedSame(nn.Module):
    """Stride 2 with padding=1 on odd sizes (Keras 'same' there), a 3x5 kernel, SiLU as x * sigmoid(x),
    non-square pooling with a ceil_mode that changes nothing, a stride-1 average pooling, LeakyReLU(0.3), global average pooling,
    torch.flatten and a sigmoid output."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Conv2d(3, 8, 3, stride=2, padding=1)
        self.act = nn.SiLU()
        self.wide = nn.Conv2d(8, 8, (3, 5), padding=(1, 2))
        self.pool = nn.MaxPool2d((2, 3), ceil_mode=True)  # the same output as without ceil_mode on 8x9
        self.smooth = nn.AvgPool2d(2, stride=1)
        self.pointwise = nn.Conv2d(8, 6, 1)
        self.gap = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Linear(6, 4)

    def forward(self, x):
        x = self.act(self.stem(x))
        x = torch.sigmoid(self.wide(x))
        x = self.smooth(self.pool(x))
        x = F.leaky_relu(self.pointwise(x), 0.3)
        x = torch.flatten(self.gap(x), 1)
        return torch.sigmoid(self.classifier(x))


class VectorMlp(nn.Module):
    """A vector input: MatMul + Add as a dense layer, LeakyReLU(0.3), Gemm, dropout (dropped),
    a Gemm without bias and a softmax over the last axis."""

    def __init__(self):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(20, 16) * 0.2)
        self.bias = nn.Parameter(torch.randn(16) * 0.1)
        self.hidden = nn.Linear(16, 8)
        self.dropout = nn.Dropout(0.25)
        self.out = nn.Linear(8, 3, bias=False)

    def forward(self, x):
        x = F.leaky_relu(torch.matmul(x, self.weight) + self.bias, 0.3)
        x = self.dropout(torch.tanh(self.hidden(x)))
        return F.softmax(self.out(x), dim=-1)


class GlobalMax(nn.Module):
    """F.pad before a stride-2 convolution on an even size (asymmetric 'same'), F.pad before a max
    pooling after a ReLU (zeros cannot change the maximum), global max pooling and
    x.view(x.size(0), -1) (Shape, Gather, Unsqueeze, Concat, Reshape)."""

    def __init__(self):
        super().__init__()
        self.down = nn.Conv2d(2, 4, 3, stride=2)
        self.conv = nn.Conv2d(4, 6, 3)
        self.pool = nn.MaxPool2d(3, stride=1)
        self.gmp = nn.AdaptiveMaxPool2d(1)
        self.fc = nn.Linear(6, 3)

    def forward(self, x):
        x = torch.tanh(self.down(F.pad(x, (0, 1, 0, 1))))
        x = F.relu(self.conv(x))
        x = self.pool(F.pad(x, (1, 1, 1, 1)))
        x = self.gmp(x)
        x = x.view(x.size(0), -1)
        return F.softmax(self.fc(x), dim=1)


class DynamicSpatial(nn.Module):
    """Any height and width (symbolic in the ONNX file): the importer needs --input-shape."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 5, 3, padding=1)
        self.fc = nn.Linear(5, 2)

    def forward(self, x):
        x = F.relu(self.conv(x))
        x = x.mean(dim=(2, 3))
        return self.fc(x)


class Depthwise(nn.Module):
    """MobileNet's depthwise-separable block: a depthwise Conv2d (groups = in_channels, multiplier 2), pointwise."""

    def __init__(self):
        super().__init__()
        self.dw = nn.Conv2d(6, 12, 3, stride=2, padding=1, groups=6)
        self.pw = nn.Conv2d(12, 8, 1)
        self.fc = nn.Linear(8, 3)

    def forward(self, x):
        x = F.relu(self.dw(x))
        x = F.relu(self.pw(x))
        return self.fc(x.mean(dim=(2, 3)))


class Depthwise1d(nn.Module):
    def __init__(self):
        super().__init__()
        self.dw = nn.Conv1d(5, 5, 5, padding=2, groups=5)
        self.pw = nn.Conv1d(5, 4, 1)

    def forward(self, x):
        return self.pw(torch.tanh(self.dw(x)))


# Refused by the importer, each for one reason.
class BatchNorm(nn.Module):
    def __init__(self):
        super().__init__()
        self.bn = nn.BatchNorm2d(3)  # not after a convolution, so the exporter keeps it
        self.conv = nn.Conv2d(3, 4, 3)

    def forward(self, x):
        return self.conv(self.bn(x))


class Grouped(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 8, 3, groups=2)

    def forward(self, x):
        return self.conv(x)


class CeilMode(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3)
        self.pool = nn.MaxPool2d(2, ceil_mode=True)

    def forward(self, x):
        return self.pool(self.conv(x))


class AvgPoolPadding(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3)
        self.pool = nn.AvgPool2d(3, stride=1, padding=1)  # count_include_pad=True: a Pad node, then AveragePool

    def forward(self, x):
        return self.pool(self.conv(x))


class StrideTwoEven(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 4, 3, stride=2, padding=1)  # on 16x16: pads 1 and 1, Keras 'same' pads 0 and 1

    def forward(self, x):
        return self.conv(x)


class LeakyDefault(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)
        self.act = nn.LeakyReLU()  # slope 0.01

    def forward(self, x):
        return self.act(self.fc(x))


class Residual(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 3, 3, padding=1)

    def forward(self, x):
        return x + self.conv(x)


class Selu(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        return F.selu(self.fc(x))


class TwoOutputs(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 3)

    def forward(self, x):
        y = self.fc(x)
        return y, torch.sigmoid(y)


class HardActivations(nn.Module):
    """ReLU6 (Clip(0, 6)) fused into a conv, GELU (the erf pattern) after a pooling (a layer of its
    own) and after a Linear (fused), Hardswish (HardSwish in opset 14+, x * HardSigmoid(x) below),
    Hardsigmoid (HardSigmoid, alpha 1/6)."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3, padding=1)
        self.relu6 = nn.ReLU6()
        self.pool = nn.MaxPool2d(2)
        self.gelu1 = nn.GELU()
        self.conv2 = nn.Conv2d(6, 8, 3)
        self.hardswish = nn.Hardswish()
        self.conv3 = nn.Conv2d(8, 4, 1)
        self.hardsigmoid = nn.Hardsigmoid()
        self.fc1 = nn.Linear(4 * 2 * 2, 5)
        self.gelu2 = nn.GELU()
        self.fc2 = nn.Linear(5, 3)
        # Weights times 4: pre-activations reach both sides of relu6's and the hard functions' kinks.
        with torch.no_grad():
            self.conv1.weight.mul_(4)
            self.conv2.weight.mul_(4)

    def forward(self, x):
        x = self.gelu1(self.pool(self.relu6(self.conv1(x))))
        x = self.hardsigmoid(self.conv3(self.hardswish(self.conv2(x))))
        return self.fc2(self.gelu2(self.fc1(torch.flatten(x, 1))))


def randomize_batch_norm(model):
    """Gives every batch norm statistics and affine values far from 0 and 1, so that folding and the
    batch_norm layer are tested on numbers that matter (PyTorch's defaults make them identities)."""
    for module in model.modules():
        if isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
            with torch.no_grad():
                channels = module.num_features
                module.running_mean.copy_(torch.randn(channels) * 0.5)
                module.running_var.copy_(torch.rand(channels) * 1.5 + 0.25)
                if module.affine:
                    module.weight.copy_(torch.randn(channels) * 0.5 + 1)
                    module.bias.copy_(torch.randn(channels) * 0.3)
    return model


class ResNetBlocks(nn.Module):
    """torchvision's ResNet building blocks: a stem (Conv-BN-ReLU, folded by the exporter), a
    BasicBlock with the identity shortcut, a BasicBlock with a strided 1x1 projection shortcut
    (PyTorch's padding=1 with stride 2 on an even size: explicit pads), a Bottleneck with a
    projection, global average pooling and a linear classifier."""

    def __init__(self):
        super().__init__()
        from torchvision.models.resnet import BasicBlock, Bottleneck, conv1x1
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU(inplace=True))
        self.layer1 = BasicBlock(16, 16)
        self.layer2 = BasicBlock(16, 24, stride=2, downsample=nn.Sequential(conv1x1(16, 24, 2), nn.BatchNorm2d(24)))
        self.layer3 = Bottleneck(24, 8, downsample=nn.Sequential(conv1x1(24, 32), nn.BatchNorm2d(32)))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(32, 10)
        randomize_batch_norm(self)

    def forward(self, x):
        x = self.layer3(self.layer2(self.layer1(self.stem(x))))
        return self.fc(torch.flatten(self.pool(x), 1))


class MobileNetV2Blocks(nn.Module):
    """torchvision's MobileNetV2 inverted residuals: expand 1x1 (ReLU6), depthwise 3x3 (ReLU6; with
    stride 2 on an even size, explicit pads), project 1x1, the residual Add; dropout and a linear head."""

    def __init__(self):
        super().__init__()
        from torchvision.models.mobilenetv2 import InvertedResidual
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU6(inplace=True))
        self.blocks = nn.Sequential(InvertedResidual(16, 16, 1, 6), InvertedResidual(16, 24, 2, 6), InvertedResidual(24, 24, 1, 6))
        self.head = nn.Sequential(nn.Conv2d(24, 64, 1, bias=False), nn.BatchNorm2d(64), nn.ReLU6(inplace=True))
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(64, 10))
        randomize_batch_norm(self)

    def forward(self, x):
        x = self.head(self.blocks(self.stem(x)))
        x = nn.functional.adaptive_avg_pool2d(x, (1, 1))
        return self.classifier(torch.flatten(x, 1))


class MobileNetV3Blocks(nn.Module):
    """torchvision's MobileNetV3 inverted residuals: hard swish and ReLU blocks, squeeze-and-excitation
    (global average pooling read by 1x1 convolutions, keep_dims; a Hardsigmoid gate multiplied into the map)."""

    def __init__(self):
        super().__init__()
        from functools import partial
        from torchvision.models.mobilenetv3 import InvertedResidual, InvertedResidualConfig
        norm = partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1, bias=False), norm(16), nn.Hardswish())
        configs = [
            InvertedResidualConfig(16, 3, 16, 16, True, "RE", 2, 1, 1.0),
            InvertedResidualConfig(16, 5, 72, 24, False, "RE", 1, 1, 1.0),
            InvertedResidualConfig(24, 5, 96, 24, True, "HS", 1, 1, 1.0),
        ]
        self.blocks = nn.Sequential(*[InvertedResidual(c, norm) for c in configs])
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Linear(24, 32), nn.Hardswish(), nn.Dropout(0.2), nn.Linear(32, 10))
        randomize_batch_norm(self)

    def forward(self, x):
        x = self.pool(self.blocks(self.stem(x)))
        return self.classifier(torch.flatten(x, 1))


class EfficientNetBlocks(nn.Module):
    """torchvision's EfficientNet MBConv blocks: SiLU (x * sigmoid(x)), squeeze-and-excitation with
    a sigmoid gate, stochastic depth (the identity in inference) and the residual Add."""

    def __init__(self):
        super().__init__()
        from torchvision.models.efficientnet import MBConv, MBConvConfig
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(16), nn.SiLU())
        configs = [MBConvConfig(1, 3, 1, 16, 16, 1), MBConvConfig(6, 3, 2, 16, 24, 1), MBConvConfig(6, 5, 1, 24, 24, 1)]
        self.blocks = nn.Sequential(*[MBConv(c, 0.2, nn.BatchNorm2d) for c in configs])
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(24, 10)
        randomize_batch_norm(self)

    def forward(self, x):
        x = self.pool(self.blocks(self.stem(x)))
        return self.fc(torch.flatten(x, 1))


class FireModules(nn.Module):
    """torchvision's SqueezeNet Fire modules: squeeze 1x1, expand 1x1 and 3x3 joined by Concat;
    max pooling with ceil_mode; a 1x1 convolution classifier and global average pooling."""

    def __init__(self):
        super().__init__()
        from torchvision.models.squeezenet import Fire
        self.stem = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2), nn.ReLU(inplace=True), nn.MaxPool2d(3, 2, ceil_mode=True))
        self.fire1 = Fire(16, 8, 16, 16)
        self.fire2 = Fire(32, 8, 16, 16)
        self.pool = nn.MaxPool2d(3, 2, ceil_mode=True)
        self.classifier = nn.Sequential(nn.Dropout(0.5), nn.Conv2d(32, 10, 1), nn.ReLU(inplace=True), nn.AdaptiveAvgPool2d(1))

    def forward(self, x):
        x = self.pool(self.fire2(self.fire1(self.stem(x))))
        return torch.flatten(self.classifier(x), 1)


class BatchNormLayers(nn.Module):
    """Batch norms the exporter cannot fold: on the input, after a residual Add, after a pooling,
    and BatchNorm1d after a linear layer that ReLU reads first (so it stays a layer)."""

    def __init__(self):
        super().__init__()
        self.bn_in = nn.BatchNorm2d(3)
        self.conv = nn.Conv2d(3, 3, 3, padding=1)
        self.bn_add = nn.BatchNorm2d(3, eps=1e-3)
        self.pool = nn.MaxPool2d(2)
        self.bn_pool = nn.BatchNorm2d(3)
        self.fc = nn.Linear(3 * 4 * 4, 6)
        self.bn_fc = nn.BatchNorm1d(6)
        self.out = nn.Linear(6, 3)
        randomize_batch_norm(self)

    def forward(self, x):
        x = self.bn_in(x)
        x = self.bn_add(x + self.conv(x))
        x = self.bn_pool(self.pool(x))
        x = self.bn_fc(F.relu(self.fc(torch.flatten(x, 1))))
        return self.out(x)


class UNetLike(nn.Module):
    """Skip connections across scales without the layers still to come: a branch read twice, Concat
    of a deep and a shallow path at one size, a product of two maps (not a gate) and a softmax."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Conv2d(2, 6, 3, padding=1)
        self.deep = nn.Sequential(nn.Conv2d(6, 6, 3, padding=2, dilation=2), nn.Tanh(), nn.Conv2d(6, 4, 1))
        self.gate = nn.Conv2d(6, 4, 1)
        self.out = nn.Conv2d(10, 3, 1)

    def forward(self, x):
        e = F.relu(self.enc(x))
        d = self.deep(e) * torch.sigmoid(self.gate(e))
        return F.softmax(self.out(torch.cat([e, d], dim=1)), dim=1)


class Transposed(nn.Module):
    def __init__(self):
        super().__init__()
        self.up = nn.ConvTranspose2d(3, 4, 2, stride=2)

    def forward(self, x):
        return self.up(x)


class UNetTransposed(nn.Module):
    """A small U-Net: conv3x3 + relu, max pooling, conv3x3 + relu, ConvTranspose2d(k=2, s=2) + relu
    back up, concatenated with the skip, then a conv3x3."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Conv2d(2, 4, 3, padding=1)
        self.pool = nn.MaxPool2d(2)
        self.mid = nn.Conv2d(4, 8, 3, padding=1)
        self.up = nn.ConvTranspose2d(8, 4, 2, stride=2)
        self.dec = nn.Conv2d(8, 3, 3, padding=1)

    def forward(self, x):
        e = F.relu(self.enc(x))
        m = F.relu(self.mid(self.pool(e)))
        u = F.relu(self.up(m))
        return self.dec(torch.cat([e, u], dim=1))


class TransposedPadded(nn.Module):
    """ConvTranspose2d(k=3, stride=2, padding=1, output_padding=1) (pads and output padding that are not
    'same'), a batch norm folded into it, relu; then a 3x2 kernel with strides 1x2, pads only in the
    width and no bias."""

    def __init__(self):
        super().__init__()
        self.up = nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1)
        self.bn = nn.BatchNorm2d(4)
        self.bn.running_mean.uniform_(-0.5, 0.5)
        self.bn.running_var.uniform_(0.5, 2.0)
        self.bn.weight.data.uniform_(0.5, 1.5)
        self.bn.bias.data.uniform_(-0.5, 0.5)
        self.wide = nn.ConvTranspose2d(4, 2, (3, 2), stride=(1, 2), padding=(0, 1), bias=False)

    def forward(self, x):
        return self.wide(F.relu(self.bn(self.up(x))))


class Transposed1d(nn.Module):
    """ConvTranspose1d with dilation 2, padding 2 and output_padding 1, tanh; then one with a kernel
    smaller than its stride (k=2, s=3) and output_padding 1 (the length triples: 'same')."""

    def __init__(self):
        super().__init__()
        self.dilated = nn.ConvTranspose1d(3, 5, 3, stride=2, dilation=2, padding=2, output_padding=1)
        self.tripled = nn.ConvTranspose1d(5, 2, 2, stride=3, output_padding=1)

    def forward(self, x):
        return self.tripled(torch.tanh(self.dilated(x)))


class TransposedShort1d(nn.Module):
    """ConvTranspose1d with a kernel smaller than its stride (k=2, s=3), no padding: gaps of zeros (plus the bias)."""

    def __init__(self):
        super().__init__()
        self.gaps = nn.ConvTranspose1d(2, 3, 2, stride=3)

    def forward(self, x):
        return self.gaps(x)


class TransposedGrouped(nn.Module):
    """A grouped ConvTranspose2d, which CnnGen refuses (its transposed convolutions have one group)."""

    def __init__(self):
        super().__init__()
        self.up = nn.ConvTranspose2d(4, 4, 3, stride=2, groups=2)

    def forward(self, x):
        return self.up(x)


class GroupedBlock(nn.Module):
    """A ResNeXt-style grouped 3x3 convolution inside a residual block."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(8, 8, 3, padding=1, groups=4)

    def forward(self, x):
        return F.relu(x + self.conv(x))


class Resampling(nn.Module):
    """nn.Upsample by 2 (nearest: Resize with asymmetric coordinates and floor), F.interpolate by
    (2, 3) bilinear with align_corners=False (half-pixel centres), and an F.pad before a sigmoid,
    which no convolution takes over: up_sampling2d and zero_padding2d."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.out = nn.Conv2d(4, 2, 1)

    def forward(self, x):
        x = self.up(F.relu(self.conv1(x)))
        x = F.interpolate(self.conv2(x), scale_factor=(2, 3), mode="bilinear", align_corners=False)
        x = torch.sigmoid(F.pad(torch.tanh(x), (1, 2, 0, 1)))
        return self.out(x)


class Resampling1d(nn.Module):
    """1-D: linear up-sampling by 2 (align_corners=False), an F.pad before a tanh (zero_padding1d),
    nearest up-sampling by 3 as the network's output."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(2, 3, 3)
        self.mix = nn.Conv1d(3, 2, 1)

    def forward(self, x):
        x = F.interpolate(self.conv(x), scale_factor=2, mode="linear", align_corners=False)
        x = self.mix(torch.tanh(F.pad(x, (2, 0))))
        return F.interpolate(x, scale_factor=3, mode="nearest")


def mobilenet_v2():
    """The whole torchvision MobileNetV2 at width 0.25 with 10 classes (about 0.3 M parameters)."""
    from torchvision.models import mobilenet_v2 as make
    return randomize_batch_norm(make(width_mult=0.25, num_classes=10))


def squeezenet():
    """The whole torchvision SqueezeNet 1.1 with 10 classes."""
    from torchvision.models import squeezenet1_1 as make
    return make(num_classes=10)


class ResNeXtBlock(nn.Module):
    """A ResNeXt bottleneck with a projection shortcut: 1x1, a grouped 3x3 at stride 2 (8 groups
    of 4 channels), 1x1, each with batch norm (folded into the convolutions)."""

    def __init__(self):
        super().__init__()
        self.reduce = nn.Conv2d(16, 32, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(32)
        self.grouped = nn.Conv2d(32, 32, 3, stride=2, padding=1, groups=8, bias=False)
        self.bn2 = nn.BatchNorm2d(32)
        self.expand = nn.Conv2d(32, 64, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(64)
        self.shortcut = nn.Conv2d(16, 64, 1, stride=2, bias=False)
        self.bn4 = nn.BatchNorm2d(64)
        for bn in (self.bn1, self.bn2, self.bn3, self.bn4):
            nn.init.uniform_(bn.weight, 0.5, 1.5)
            nn.init.uniform_(bn.bias, -0.2, 0.2)
            bn.running_mean.uniform_(-0.2, 0.2)
            bn.running_var.uniform_(0.5, 1.5)

    def forward(self, x):
        y = F.relu(self.bn1(self.reduce(x)))
        y = F.relu(self.bn2(self.grouped(y)))
        y = self.bn3(self.expand(y))
        return F.relu(y + self.bn4(self.shortcut(x)))


class GroupedConv1d(nn.Module):
    """Grouped Conv1d: 6 channels in 3 groups to 9, then 9 in 3 groups to 6, dilated."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(6, 9, 5, padding=2, groups=3)
        self.conv2 = nn.Conv1d(9, 6, 3, dilation=2, groups=3)

    def forward(self, x):
        return self.conv2(F.relu(self.conv1(x)))


BATCH = {0: "batch"}

# name: (module class, input shape with batch 1, opset, dynamic axes of the input or None, output count)
MODELS = {
    "lenet": (LeNet, (1, 1, 28, 28), 13, BATCH),
    "conv1d_stack": (Conv1dStack, (1, 3, 50), 17, BATCH),
    "strided_same": (StridedSame, (1, 3, 15, 17), 11, None),
    "vector_mlp": (VectorMlp, (1, 20), 13, BATCH),
    "global_max": (GlobalMax, (1, 2, 12, 12), 17, BATCH),
    "dynamic_spatial": (DynamicSpatial, (1, 3, 20, 24), 13, {0: "batch", 2: "height", 3: "width"}),
}

ERRORS = {
    "batch_norm": (BatchNorm, (1, 3, 8, 8), 13, None),
    "grouped_conv": (Grouped, (1, 4, 8, 8), 13, None),
    "ceil_mode": (CeilMode, (1, 2, 11, 11), 13, None),
    "avg_pool_padding": (AvgPoolPadding, (1, 2, 8, 8), 13, None),
    "stride2_even": (StrideTwoEven, (1, 3, 16, 16), 13, None),
    "leaky_relu_default": (LeakyDefault, (1, 4), 13, None),
    "residual": (Residual, (1, 3, 8, 8), 13, None),
    "selu": (Selu, (1, 4), 13, None),
    "two_outputs": (TwoOutputs, (1, 4), 13, None),
}


# The same models in opset 9, where Pad, Slice and Unsqueeze take attributes instead of inputs, and
# MaxPool has no ceil_mode (the exporter pads after the input instead, where no window reaches).
OLD_OPSET = {
    "conv1d_stack_opset9": (Conv1dStack, (1, 3, 50), 9, BATCH),
    "strided_same_opset9": (StridedSame, (1, 3, 15, 17), 9, None),
}


# Depthwise convolutions (Conv with group = in_channels).
DEPTHWISE = {
    "depthwise": (Depthwise, (1, 6, 9, 9), 13, BATCH),
    "depthwise1d": (Depthwise1d, (1, 5, 16), 13, BATCH),
}


# Relu6, hard sigmoid, hard swish and gelu, in opset 17 (HardSwish) and 13 (x * HardSigmoid(x)).
ACTIVATIONS = {
    "hard_activations": (HardActivations, (1, 3, 8, 8), 17, BATCH),
    "hard_activations_opset13": (HardActivations, (1, 3, 8, 8), 13, BATCH),
}


# Graphs and batch norm: torchvision's building blocks, and whole architectures at a small size.
GRAPHS = {
    "resnet_blocks": (ResNetBlocks, (1, 3, 16, 16), 13, BATCH),
    "mobilenet_v2_blocks": (MobileNetV2Blocks, (1, 3, 32, 32), 13, BATCH),
    "mobilenet_v3_blocks": (MobileNetV3Blocks, (1, 3, 32, 32), 17, BATCH),
    "efficientnet_blocks": (EfficientNetBlocks, (1, 3, 32, 32), 13, BATCH),
    "fire_modules": (FireModules, (1, 3, 33, 33), 13, BATCH),
    "batch_norm_layers": (BatchNormLayers, (1, 3, 8, 8), 13, BATCH),
    "unet_like": (UNetLike, (1, 2, 12, 12), 13, BATCH),
    "mobilenet_v2": (mobilenet_v2, (1, 3, 64, 64), 13, BATCH),
    "squeezenet": (squeezenet, (1, 3, 64, 64), 13, BATCH),
    "conv_transpose": (Transposed, (1, 3, 6, 6), 13, None),
    "grouped_block": (GroupedBlock, (1, 8, 6, 6), 13, None),
    "resampling": (Resampling, (1, 3, 5, 6), 13, BATCH),
    "resampling1d": (Resampling1d, (1, 2, 9), 13, BATCH),
    "resnext_block": (ResNeXtBlock, (1, 16, 12, 12), 13, BATCH),
    "grouped_conv1d": (GroupedConv1d, (1, 6, 20), 13, BATCH),
}


# Transposed convolutions (ConvTranspose): a U-Net, PyTorch's pads and output padding, 1-D with
# dilation and with a kernel smaller than the stride; and a grouped one, which is refused.
TRANSPOSED = {
    "unet_transposed": (UNetTransposed, (1, 2, 8, 8), 13, BATCH),
    "conv_transpose_padded": (TransposedPadded, (1, 3, 5, 6), 13, BATCH),
    "conv_transpose1d": (Transposed1d, (1, 3, 7), 13, BATCH),
    "conv_transpose1d_short": (TransposedShort1d, (1, 2, 5), 13, BATCH),
    "conv_transpose_grouped": (TransposedGrouped, (1, 4, 5, 5), 13, None),
}


def channel_shuffle():
    """torchvision's ShuffleNetV2 unit at stride 2: two branches joined by Concat, then channel_shuffle
    (Reshape to N x 2 x 8 x 4 x 4, Transpose, Reshape back), which CnnGen cannot express."""
    from torchvision.models.shufflenetv2 import InvertedResidual
    return InvertedResidual(8, 16, 2)


# More models the importer must refuse (after the others: the seeds follow the order).
LATE_ERRORS = {
    "channel_shuffle": (channel_shuffle, (1, 8, 8, 8), 13, BATCH),
}


def export(name, spec, seed):
    module_class, shape, opset, dynamic = spec
    torch.manual_seed(seed)
    model = module_class().eval()
    example = torch.randn(*shape)
    with torch.no_grad():
        outputs = model(example)
    count = len(outputs) if isinstance(outputs, tuple) else 1
    output_names = ["output"] if count == 1 else [f"output{i}" for i in range(count)]
    axes = None
    if dynamic is not None:
        axes = {"input": dynamic}
        for output in output_names:
            axes[output] = {0: dynamic[0]}
    path = os.path.join(HERE, name + ".onnx")
    torch.onnx.export(model, example, path, opset_version=opset, input_names=["input"], output_names=output_names,
                      dynamic_axes=axes, do_constant_folding=True)
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


def main(names):
    everything = {**MODELS, **ERRORS, **OLD_OPSET, **DEPTHWISE, **ACTIVATIONS, **GRAPHS, **TRANSPOSED, **LATE_ERRORS}  # new models go last: the seeds follow this order
    for seed, (name, spec) in enumerate(everything.items(), start=1):
        if not names or name in names:
            export(name, spec, seed)


if __name__ == "__main__":
    main(sys.argv[1:])
