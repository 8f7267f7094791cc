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
    everything = {**MODELS, **ERRORS, **OLD_OPSET, **DEPTHWISE, **ACTIVATIONS}  # new models go last: the seeds follow this order
    for seed, (name, spec) in enumerate(everything.items(), start=1):
        if not names or name in names:
            export(name, spec, seed)


if __name__ == "__main__":
    main(sys.argv[1:])
