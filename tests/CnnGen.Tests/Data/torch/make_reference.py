#!/usr/bin/env python3
"""PyTorch reference values for whole CnnGen networks (docs/testing.md, accuracy rules).

Run once, commit the output; the C# tests (tests/CnnGen.Tests/TorchReferenceTests.cs) read
the files and need no Python:

    /usr/bin/python3 tests/CnnGen.Tests/Data/torch/make_reference.py

Needs Debian's python3-torch (torch 1.13, CPU) and numpy. The output is deterministic: the
same script writes byte-identical files (check with `git diff --exit-code` after a run).

For every network below, declared here a second time, independently of the C# generator
and in PyTorch's own terms, the script
  1. infers the shapes and the TF/Keras padding itself (docs/shapes.md),
  2. generates the parameters in CnnGen's layout (Keras kernel layouts, layer by layer,
     kernel then bias) with a small counter-based generator that C# reproduces exactly
     (see `unit`), and random inputs and a random output gradient, all exactly
     representable in float32,
  3. runs the network in float64 with torch.nn.functional, converting layouts on the way
     (NHWC -> NCHW, Keras kernels -> OIHW, 'same' padding as explicit asymmetric F.pad),
  4. back-propagates L = sum(output_gradient * output) with autograd, giving the input
     gradient and dL/d(every parameter) summed over the batch, in CnnGen's layouts,
  5. writes one JSON file per network (format in README.md next to this script).

Because the weights, inputs and output gradient are float32 values and PyTorch computes in
float64 from them, the stored values are exact to about 1e-15: the 1e-5 relative tolerance
of the C# test measures only CnnGen's float32 arithmetic.

    make_reference.py [Network...]                  write the files of these (default: all)
    make_reference.py --check-float32 [Network...]  write nothing; print how much of the C#
                                                    tolerance PyTorch's own float32 uses
"""

import base64
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

FORMAT = "cnngen-torch-reference-1"
HERE = os.path.dirname(os.path.abspath(__file__))

# --------------------------------------------------------------------------------------
# The random values: a counter-based generator (SplitMix64), reproduced in C# by
# TorchReference.Unit. unit(seed, i) is an odd multiple of 2^-24 in (-1, 1): exactly
# representable in float32, never zero, symmetric about zero. Tensors multiply it by a
# power of two, which keeps it exact.
# --------------------------------------------------------------------------------------
MASK = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15


def unit(seed, index):
    z = (seed + (index + 1) * GAMMA) & MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    z ^= z >> 31
    return (2 * (z >> 40) - (1 << 24) + 1) / float(1 << 24)


def stream(seed, start, count, scale):
    return np.array([unit(seed, start + i) * scale for i in range(count)], dtype=np.float64)


def power_of_two(x):
    return 2.0 ** round(math.log2(x))


def fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & MASK
    return "%016x" % h


# --------------------------------------------------------------------------------------
# The networks, layer by layer, as in tests/CnnGen.Tests/Networks/*.cs. Kinds and
# activations use the names of CnnGen's LayerKind and Activation enums.
# --------------------------------------------------------------------------------------


def conv2d(filters, kh, kw=None, stride=(1, 1), dilation=(1, 1), padding="Valid", activation="Linear", bias=True, groups=1):
    return dict(kind="Conv2D", filters=filters, window=(kh, kw or kh), stride=stride, dilation=dilation,
                padding=padding, activation=activation, bias=bias, groups=groups)


def conv1d(filters, k, stride=1, dilation=1, padding="Valid", activation="Linear", bias=True, groups=1):
    return dict(kind="Conv1D", filters=filters, window=(1, k), stride=(1, stride), dilation=(1, dilation),
                padding=padding, activation=activation, bias=bias, groups=groups)


def depthwise2d(kh, kw=None, multiplier=1, stride=(1, 1), dilation=(1, 1), padding="Valid", activation="Linear", bias=True):
    return dict(kind="DepthwiseConv2D", multiplier=multiplier, window=(kh, kw or kh), stride=stride, dilation=dilation,
                padding=padding, activation=activation, bias=bias)


def depthwise1d(k, multiplier=1, stride=1, dilation=1, padding="Valid", activation="Linear", bias=True):
    return dict(kind="DepthwiseConv1D", multiplier=multiplier, window=(1, k), stride=(1, stride), dilation=(1, dilation),
                padding=padding, activation=activation, bias=bias)


def conv2d_transpose(filters, kh, kw=None, stride=(1, 1), dilation=(1, 1), padding="Valid", activation="Linear", bias=True,
                     output_padding=(0, 0)):
    return dict(kind="Conv2DTranspose", filters=filters, window=(kh, kw or kh), stride=stride, dilation=dilation,
                padding=padding, activation=activation, bias=bias, output_padding=output_padding)


def conv1d_transpose(filters, k, stride=1, dilation=1, padding="Valid", activation="Linear", bias=True, output_padding=0):
    return dict(kind="Conv1DTranspose", filters=filters, window=(1, k), stride=(1, stride), dilation=(1, dilation),
                padding=padding, activation=activation, bias=bias, output_padding=(0, output_padding))


def pool2d(kind, ph, pw=None, stride=None, padding="Valid"):
    pw = pw or ph
    return dict(kind=kind, window=(ph, pw), stride=stride or (ph, pw), dilation=(1, 1), padding=padding)


def pool1d(kind, p, stride=None, padding="Valid"):
    return dict(kind=kind, window=(1, p), stride=(1, stride or p), dilation=(1, 1), padding=padding)


def explicit(layer, pads, ceil=False, count=False):
    """The layer with declared pads (top, bottom, left, right; 1-D: before, after), as Pad/Pads, and
    pooling's CeilMode and CountPadding."""
    pads = list(pads) if len(pads) == 4 else [0, 0] + list(pads)
    layer = dict(layer, explicit=pads)
    if ceil:
        layer["ceil"] = True
    if count:
        layer["count"] = True
    return layer


def keep_dims(layer):
    """Global pooling with KeepDims: 1x1xC (1xC in 1-D)."""
    return dict(layer, keep_dims=True)


def simple(kind, activation="Linear"):
    return dict(kind=kind, activation=activation)


def dense(units, activation="Linear", bias=True):
    return dict(kind="Dense", units=units, activation=activation, bias=bias)


def reads(name, layer):
    """The layer, reading the output of `name` (an earlier layer, or "input") instead of the previous one: From."""
    return dict(layer, reads=name)


def batch_norm(momentum=0.99, epsilon=0.001, center=True, scale=True):
    """BatchNormalization with Keras's momentum (the share of the old moving statistics kept)."""
    return dict(kind="BatchNormalization", momentum=momentum, epsilon=epsilon, center=center, scale=scale)


def zero_padding2d(top, bottom=None, left=None, right=None):
    """ZeroPadding2D(pad) or (top, bottom, left, right)."""
    if bottom is None:
        bottom = left = right = top
    return dict(kind="ZeroPadding2D", zero_pads=[top, bottom, left, right])


def zero_padding1d(before, after=None):
    """ZeroPadding1D(pad) or (before, after)."""
    return dict(kind="ZeroPadding1D", zero_pads=[0, 0, before, before if after is None else after])


def up_sampling2d(sh, sw=None, interpolation="Nearest"):
    """UpSampling2D(size) or (sh, sw); Bilinear has half-pixel centres (align_corners=False)."""
    return dict(kind="UpSampling2D", size=[sh, sw or sh], interpolation=interpolation)


def up_sampling1d(size, interpolation="Nearest"):
    """UpSampling1D(size); Bilinear is PyTorch's mode='linear' (align_corners=False)."""
    return dict(kind="UpSampling1D", size=[1, size], interpolation=interpolation)


def merge(kind, *inputs, activation="Linear"):
    """Add, Multiply or Concatenate of the outputs named, in order."""
    return dict(kind=kind, inputs=list(inputs), activation=activation)


NETWORKS = [
    dict(name="DigitNet", format="ChannelsLast", input=(8, 8, 1), batch=3, seed=101, layers=[
        conv2d(8, 3, padding="Same", activation="Relu"),
        pool2d("MaxPool2D", 2),
        conv2d(16, 3, activation="Relu"),
        simple("Flatten"),
        dense(10, activation="Softmax"),
    ]),
    dict(name="LeNet5", format="ChannelsLast", input=(28, 28, 1), batch=2, seed=102, layers=[
        conv2d(6, 5, padding="Same", activation="Relu"),
        pool2d("MaxPool2D", 2),
        conv2d(16, 5, activation="Relu"),
        pool2d("MaxPool2D", 2),
        simple("Flatten"),
        dense(120, activation="Relu"),
        dense(84, activation="Relu"),
        dense(10, activation="Softmax"),
    ]),
    dict(name="DigitNetChannelsFirst", format="ChannelsFirst", input=(1, 8, 8), batch=3, seed=103, layers=[
        conv2d(8, 3, padding="Same", activation="Relu"),
        pool2d("MaxPool2D", 2),
        conv2d(16, 3, activation="Relu"),
        simple("Flatten"),
        dense(10, activation="Softmax"),
    ]),
    dict(name="SignalNet", format="ChannelsLast", input=(32, 3), batch=3, seed=104, layers=[
        conv1d(8, 5, padding="Causal", dilation=2, activation="Tanh"),
        conv1d(12, 3, stride=2, padding="Same", activation="Elu"),
        pool1d("AvgPool1D", 2, padding="Same"),
        conv1d(16, 3, activation="Silu"),
        simple("GlobalMaxPool"),
        dense(4, activation="Sigmoid"),
    ]),
    # The networks below exist for these references (Networks/TorchReferenceNetworks.cs).
    dict(name="StridedNetChannelsFirst", format="ChannelsFirst", input=(3, 12, 10), batch=3, seed=105, layers=[
        conv2d(6, 3, 5, stride=(2, 2), padding="Same", activation="LeakyRelu"),
        conv2d(8, 3, dilation=(2, 1), padding="Same", activation="Softplus"),
        pool2d("AvgPool2D", 2, padding="Same"),
        conv2d(10, 2, 3, stride=(1, 2), padding="Same", bias=False),
        simple("Activation", "Softmax"),
        simple("GlobalAvgPool"),
        dense(6, activation="Silu"),
        dense(3),
    ]),
    dict(name="PoolingNet", format="ChannelsLast", input=(11, 14, 2), batch=3, seed=106, layers=[
        conv2d(5, 3, 2, stride=(2, 1), dilation=(1, 2), padding="Same", activation="Silu"),
        pool2d("MaxPool2D", 3, stride=(2, 2), padding="Same"),
        pool2d("AvgPool2D", 2, 3),
        conv2d(7, 1, activation="Softmax"),
        simple("Flatten"),
        dense(5, activation="Tanh", bias=False),
        simple("Activation", "LeakyRelu"),
        dense(3, activation="Softplus"),
    ]),
    dict(name="SignalNetChannelsFirst", format="ChannelsFirst", input=(4, 21), batch=3, seed=107, layers=[
        conv1d(6, 4, stride=2, padding="Same", bias=False),
        simple("Activation", "Elu"),
        pool1d("MaxPool1D", 3, stride=2, padding="Same"),
        conv1d(8, 2, dilation=3, padding="Causal", activation="Sigmoid"),
        pool1d("AvgPool1D", 4, stride=3, padding="Same"),
        conv1d(5, 2, activation="Relu"),
        simple("GlobalAvgPool"),
        dense(4, activation="Softmax"),
    ]),
    # Graphs: skip connections, branches and merges (Networks/GraphNetworks.cs).
    dict(name="ResNetBlockNet", format="ChannelsLast", input=(8, 8, 3), batch=3, seed=108, layers=[
        conv2d(8, 3, padding="Same", activation="Relu"),
        conv2d(16, 3, stride=(2, 2), padding="Same", activation="Relu"),
        conv2d(16, 3, padding="Same"),
        reads("conv2d_1", conv2d(16, 1, stride=(2, 2))),
        merge("Add", "conv2d_3", "conv2d_4", activation="Relu"),
        conv2d(16, 3, padding="Same", activation="Relu"),
        conv2d(16, 3, padding="Same"),
        merge("Add", "conv2d_6", "add_1", activation="Relu"),
        simple("GlobalAvgPool"),
        dense(4),
    ]),
    dict(name="SqueezeExciteNet", format="ChannelsFirst", input=(4, 6, 6), batch=3, seed=109, layers=[
        conv2d(8, 3, padding="Same", activation="Relu"),
        simple("GlobalAvgPool"),
        dense(2, activation="Relu"),
        dense(8, activation="Sigmoid"),
        merge("Multiply", "conv2d_1", "dense_2"),
        merge("Add", "multiply_1", "conv2d_1"),
        pool2d("MaxPool2D", 2),
        simple("Flatten"),
        dense(3, activation="Softmax"),
    ]),
    dict(name="FireModuleNet", format="ChannelsFirst", input=(4, 6, 6), batch=3, seed=110, layers=[
        conv2d(3, 1, activation="Relu"),
        conv2d(4, 1, activation="Relu"),
        reads("conv2d_1", conv2d(5, 3, padding="Same", activation="Relu")),
        merge("Concatenate", "conv2d_2", "conv2d_3"),
        pool2d("MaxPool2D", 3, stride=(2, 2), padding="Same"),
        pool2d("AvgPool2D", 3),
        conv2d(9, 1, activation="Sigmoid"),
        merge("Multiply", "max_pool2d_1", "conv2d_4"),
        simple("Flatten"),
        dense(3),
    ]),
    dict(name="ThreeInputAddNet", format="ChannelsLast", input=(12, 3), batch=3, seed=111, layers=[
        conv1d(4, 3, padding="Same", activation="Tanh"),
        reads("input", conv1d(4, 3, dilation=2, padding="Causal")),
        reads("conv1d_1", simple("Activation", "Elu")),
        reads("conv1d_2", simple("GlobalMaxPool")),
        merge("Add", "conv1d_1", "conv1d_2", "activation_1", "global_max_pool_1", activation="Sigmoid"),
        merge("Concatenate", "add_1", "input"),
        conv1d(2, 3, stride=2, padding="Same"),
        simple("Flatten"),
        dense(3, activation="Relu"),
        reads("flatten_1", dense(3)),
        merge("Add", "dense_1", "dense_2"),
    ]),
    # Networks with state run in both modes: one file per mode, NAME.inference.json and NAME.training.json.
    dict(name="BatchNormNet", format="ChannelsLast", input=(6, 5, 3), batch=8, seed=121, modes=["inference", "training"], layers=[
        conv2d(5, 3, padding="Same", bias=False),  # a bias before batch norm has a zero gradient in training mode
        batch_norm(),
        # Not relu: a channel that relu passes whole (every value positive) gives beta an exactly zero
        # gradient in training mode (the batch norm further on absorbs a constant shift), untestable in float32.
        simple("Activation", "Tanh"),
        # tanh: a linear path from a bias to a batch norm in training mode gives the bias an exactly zero gradient.
        conv2d(4, 3, stride=(2, 2), padding="Same", activation="Tanh"),
        simple("Flatten"),
        dense(7, activation="Tanh"),
        batch_norm(momentum=0.9, epsilon=1e-5),
        dense(3),
    ]),
    dict(name="BatchNormSignalNetChannelsFirst", format="ChannelsFirst", input=(3, 10), batch=4, seed=114, modes=["inference", "training"], layers=[
        batch_norm(momentum=0.8),
        conv1d(7, 3, activation="Tanh"),
        batch_norm(scale=False),
        conv1d(5, 3, padding="Same", bias=False),
        batch_norm(center=False, epsilon=0.01),
        simple("GlobalAvgPool"),
        dense(2),
    ]),
    dict(name="GatedSignalNetChannelsFirst", format="ChannelsFirst", input=(3, 10), batch=3, seed=112, layers=[
        conv1d(4, 3, padding="Same"),
        reads("input", conv1d(4, 1, activation="Sigmoid")),
        merge("Multiply", "conv1d_1", "conv1d_2", "conv1d_1"),
        pool1d("AvgPool1D", 2),
        simple("Flatten"),
        dense(6, activation="Tanh"),
        reads("flatten_1", dense(6)),
        merge("Multiply", "dense_1", "dense_2"),
        dense(2),
    ]),
]

# Depthwise convolutions (Networks/DepthwiseNetworks.cs): odd channel counts, both data
# formats, stride 2 on odd and even sizes, multipliers that do and do not divide a vector.
NETWORKS += [
    dict(name="DepthwiseTorchNet", format="ChannelsLast", input=(9, 8, 7), batch=3, seed=113, layers=[
        depthwise2d(3, padding="Same", activation="Relu"),
        depthwise2d(3, multiplier=2, stride=(2, 2), padding="Same"),
        depthwise2d(2, 3, multiplier=3, stride=(2, 1), dilation=(1, 2), padding="Same", activation="Tanh", bias=False),
        simple("GlobalAvgPool"),
        dense(3),
    ]),
    dict(name="DepthwiseTorchNetChannelsFirst", format="ChannelsFirst", input=(5, 11), batch=3, seed=114, layers=[
        depthwise1d(3, multiplier=2, dilation=2, padding="Causal", activation="Elu"),
        depthwise1d(4, stride=2, padding="Same", activation="LeakyRelu"),
        conv1d(3, 1),
    ]),
]

# Explicit padding, ceil mode, count_include_pad and keep-dims (Networks/TorchReferenceNetworks.cs).
NETWORKS += [
    dict(name="PaddedNet", format="ChannelsLast", input=(9, 10, 3), batch=3, seed=113, layers=[
        explicit(conv2d(4, 3, activation="Relu"), (1, 1, 1, 1)),
        explicit(conv2d(5, 3, 2, stride=(2, 2)), (0, 1, 1, 0)),
        explicit(pool2d("MaxPool2D", 3, stride=(2, 2)), (1, 1, 1, 1), ceil=True),
        explicit(pool2d("AvgPool2D", 2, stride=(1, 1)), (1, 1, 1, 1), count=True),
        explicit(pool2d("AvgPool2D", 3, stride=(2, 2)), (1, 1, 1, 1), ceil=True),
        explicit(pool2d("AvgPool2D", 2), (0, 0, 0, 0), ceil=True, count=True),
        keep_dims(simple("GlobalAvgPool")),
        conv2d(3, 1),
        simple("Flatten"),
    ]),
    dict(name="PaddedSignalNetChannelsFirst", format="ChannelsFirst", input=(3, 13), batch=3, seed=114, layers=[
        explicit(conv1d(4, 3, dilation=2, activation="Tanh"), (2, 2)),
        explicit(conv1d(5, 4, stride=3), (2, 1)),
        explicit(pool1d("MaxPool1D", 2), (1, 0)),
        explicit(pool1d("AvgPool1D", 3, stride=2), (1, 1), ceil=True),
        keep_dims(simple("GlobalMaxPool")),
        conv1d(3, 1, activation="Sigmoid"),
        simple("Flatten"),
        dense(2),
    ]),
]

SNAKE = {"Conv1D": "conv1d", "Conv2D": "conv2d", "MaxPool1D": "max_pool1d", "MaxPool2D": "max_pool2d",
         "AvgPool1D": "avg_pool1d", "AvgPool2D": "avg_pool2d", "GlobalMaxPool": "global_max_pool",
         "GlobalAvgPool": "global_avg_pool", "Flatten": "flatten", "Dense": "dense", "Activation": "activation",
         "Add": "add", "Multiply": "multiply", "Concatenate": "concatenate",
         "DepthwiseConv1D": "depthwise_conv1d", "DepthwiseConv2D": "depthwise_conv2d",
         "BatchNormalization": "batch_norm",
         "ZeroPadding1D": "zero_padding1d", "ZeroPadding2D": "zero_padding2d",
         "UpSampling1D": "up_sampling1d", "UpSampling2D": "up_sampling2d",
         "Conv1DTranspose": "conv1d_transpose", "Conv2DTranspose": "conv2d_transpose"}

TRANSPOSED = {"Conv1DTranspose", "Conv2DTranspose"}

ZERO_PADDINGS = {"ZeroPadding1D", "ZeroPadding2D"}

UP_SAMPLINGS = {"UpSampling1D", "UpSampling2D"}

MERGES = {"Add", "Multiply", "Concatenate"}

WINDOWED = {"Conv1D", "Conv2D", "MaxPool1D", "MaxPool2D", "AvgPool1D", "AvgPool2D", "DepthwiseConv1D", "DepthwiseConv2D"}

# Dense kernels larger than this store their gradient as the two factors whose product
# summed over the batch it is (README.md): LeNet-5's 400x120 kernel would otherwise be half
# a megabyte of float64.
FACTOR_ABOVE = 4096


# --------------------------------------------------------------------------------------
# Shapes: docs/shapes.md, written out again here.
# --------------------------------------------------------------------------------------


def dimension(n, k, s, d, padding):
    """(out, pad_before, pad_after) of one spatial dimension."""
    kd = (k - 1) * d + 1
    if padding == "Same":
        out = -(-n // s)
        total = max((out - 1) * s + kd - n, 0)
        return out, total // 2, total - total // 2
    if padding == "Causal":
        before = (k - 1) * d
        return (n + before - kd) // s + 1, before, 0
    if n < kd:
        raise ValueError("window larger than input")
    return (n - kd) // s + 1, 0, 0


def explicit_dimension(n, k, s, d, before, after, ceil):
    """(out, pad_before, pad_after) with declared pads, as PyTorch's padding and ceil_mode: rounded up,
    the last window must start inside the input or the padding before it. The pads reported are the
    declared ones; the cells ceil mode's last window reaches past them are read as padding."""
    kd = (k - 1) * d + 1
    span = n + before + after - kd
    if span < 0:
        raise ValueError("window larger than input")
    out = (-(-span // s) if ceil else span // s) + 1
    if ceil and (out - 1) * s >= n + before:
        out -= 1
    return out, before, after


def transposed_dimension(n, k, s, d, padding, before, after, output_padding):
    """(out, crop_before, crop_after, cells_added_after) of a transposed convolution: the adjoint of the
    convolution with the same kernel, stride and padding. (n - 1) * s + k' cells, less the crops,
    plus output_padding; 'same' crops like TensorFlow, p = max(k' - s, 0), p // 2 before, and ends
    with n * s cells (a kernel smaller than the stride adds s - k' after)."""
    kd = (k - 1) * d + 1
    whole = (n - 1) * s + kd
    if padding == "Same":
        total = max(kd - s, 0)
        extra = max(s - kd, 0) + output_padding
        return whole - total + extra, total // 2, total - total // 2, extra
    return whole - before - after + output_padding, before, after, output_padding


def merged_shape(kind, shapes):
    """(channels, spatial) of a merge: Concatenate sums the channels of equal spatial sizes; Add and
    Multiply take the input with the most positions (then the highest rank), the others having
    its shape or a single position (broadcast)."""
    if kind == "Concatenate":
        assert all(spatial == shapes[0][1] for _, spatial in shapes), "concatenate of different spatial sizes"
        return sum(c for c, _ in shapes), shapes[0][1]
    target = max(shapes, key=lambda s: (int(np.prod(s[1])), len(s[1])))
    for c, spatial in shapes:
        assert c == target[0] and (spatial == target[1] or int(np.prod(spatial)) == 1), "inputs that do not broadcast"
    return target


def resolve(net):
    """Per layer: what it reads, shapes (as (channels, spatial...) and in the data format), pads, parameter layout."""
    channels_last = net["format"] == "ChannelsLast"
    shape = tuple(net["input"])
    # Work in (C, spatial...) and report in the data format.
    c, spatial = (shape[-1], shape[:-1]) if channels_last else (shape[0], shape[1:])
    outputs = {"input": (c, tuple(spatial))}
    previous = "input"
    counts = {}
    offset = 0
    state_offset = 0
    layers = []

    def in_format(c, spatial):
        if not spatial:
            return [c]
        return list(spatial) + [c] if channels_last else [c] + list(spatial)

    for spec in net["layers"]:
        kind = spec["kind"]
        counts[kind] = counts.get(kind, 0) + 1
        layer = dict(spec)
        layer["name"] = "%s_%d" % (SNAKE[kind], counts[kind])
        # What the layer reads: a merge's inputs, From's layer, or the previous layer.
        layer["reads"] = spec["inputs"] if kind in MERGES else [spec.get("reads", previous)]
        layer["declares_inputs"] = kind in MERGES or "reads" in spec
        c, spatial = outputs[layer["reads"][0]]
        layer["input_shape"] = in_format(c, spatial)
        layer["pads"] = [0, 0, 0, 0]
        kernel_shape = []
        bias_length = 0
        if kind in MERGES:
            c, spatial = merged_shape(kind, [outputs[name] for name in layer["reads"]])
        elif kind in TRANSPOSED:
            (kh, kw), (sh, sw), (dh, dw), (oph, opw) = spec["window"], spec["stride"], spec["dilation"], spec["output_padding"]
            pt, pb, pl, pr = spec.get("explicit", [0, 0, 0, 0])
            if len(spatial) == 2:
                oh, top, bottom, added_h = transposed_dimension(spatial[0], kh, sh, dh, spec["padding"], pt, pb, oph)
                ow, left, right, added_w = transposed_dimension(spatial[1], kw, sw, dw, spec["padding"], pl, pr, opw)
                out_spatial = (oh, ow)
            else:
                ow, left, right, added_w = transposed_dimension(spatial[0], kw, sw, dw, spec["padding"], pl, pr, opw)
                top = bottom = added_h = 0
                out_spatial = (ow,)
            layer["pads"] = [top, bottom, left, right]
            layer["added"] = [added_h, added_w]
            # Keras: (k..., filters, c_in).
            kernel_shape = ([kh, kw] if kind == "Conv2DTranspose" else [kw]) + [spec["filters"], c]
            bias_length = spec["filters"] if spec["bias"] else 0
            c = spec["filters"]
            spatial = out_spatial
        elif kind in WINDOWED:
            (kh, kw), (sh, sw), (dh, dw) = spec["window"], spec["stride"], spec["dilation"]
            if "explicit" in spec:
                pt, pb, pl, pr = spec["explicit"]
                size = lambda n, k, s, d, before, after: explicit_dimension(n, k, s, d, before, after, spec.get("ceil", False))
            else:
                pt = pb = pl = pr = None
                size = lambda n, k, s, d, before, after: dimension(n, k, s, d, spec["padding"])
            if len(spatial) == 2:
                oh, top, bottom = size(spatial[0], kh, sh, dh, pt, pb)
                ow, left, right = size(spatial[1], kw, sw, dw, pl, pr)
                out_spatial = (oh, ow)
            else:
                assert kh == sh == dh == 1
                ow, left, right = size(spatial[0], kw, sw, dw, pl, pr)
                top = bottom = 0
                out_spatial = (ow,)
            layer["pads"] = [top, bottom, left, right]
            if kind.startswith("Depthwise"):
                # Keras: (k..., c_in, depth_multiplier); output channel c * m + j.
                m = spec["multiplier"]
                kernel_shape = ([kh, kw] if kind == "DepthwiseConv2D" else [kw]) + [c, m]
                bias_length = c * m if spec["bias"] else 0
                c = c * m
            if kind.startswith("Conv"):
                # Groups: each filter reads c / groups input channels, Keras's (k..., c / groups, f).
                kernel_shape = ([kh, kw] if kind == "Conv2D" else [kw]) + [c // spec["groups"], spec["filters"]]
                bias_length = spec["filters"] if spec["bias"] else 0
                c = spec["filters"]
            spatial = out_spatial
        elif kind in ZERO_PADDINGS:
            top, bottom, left, right = spec["zero_pads"]
            assert len(spatial) == (2 if kind == "ZeroPadding2D" else 1)
            layer["pads"] = [top, bottom, left, right]
            spatial = (spatial[0] + top + bottom, spatial[1] + left + right) if len(spatial) == 2 else (spatial[0] + left + right,)
        elif kind in UP_SAMPLINGS:
            sh, sw = spec["size"]
            assert len(spatial) == (2 if kind == "UpSampling2D" else 1)
            spatial = (spatial[0] * sh, spatial[1] * sw) if len(spatial) == 2 else (spatial[0] * sw,)
        elif kind in ("GlobalMaxPool", "GlobalAvgPool"):
            spatial = (1,) * len(spatial) if spec.get("keep_dims") else ()
        elif kind == "Flatten":
            c, spatial = c * int(np.prod(spatial)), ()
        elif kind == "Dense":
            assert not spatial
            kernel_shape = [c, spec["units"]]
            bias_length = spec["units"] if spec["bias"] else 0
            c = spec["units"]
        elif kind == "BatchNormalization":
            # gamma (the "kernel", one per channel) if scale, beta (the bias) if center; moving mean and variance are state.
            kernel_shape = [c] if spec["scale"] else []
            bias_length = c if spec["center"] else 0
            layer["state_offset"] = state_offset
            layer["state_length"] = 2 * c
            state_offset += 2 * c
        spatial = tuple(spatial)
        outputs[layer["name"]] = (c, spatial)
        previous = layer["name"]
        layer["output_shape"] = in_format(c, spatial)
        layer["kernel_shape"] = kernel_shape
        layer["parameter_offset"] = offset
        layer["kernel_length"] = int(np.prod(kernel_shape)) if kernel_shape else 0
        layer["bias_length"] = bias_length
        offset += layer["kernel_length"] + bias_length
        if kind == "BatchNormalization":
            layer["kernel_scale"] = 1.0
            layer["bias_scale"] = 0.5
        elif kernel_shape:
            fan_in = int(np.prod(kernel_shape[:-1]))
            fan_out = int(np.prod(kernel_shape[:-2])) * kernel_shape[-1] if kind != "Dense" else kernel_shape[1]
            layer["kernel_scale"] = power_of_two(math.sqrt(6.0 / (fan_in + fan_out)))
            layer["bias_scale"] = 0.5
        layers.append(layer)
    if state_offset:
        layers[0]["network_state_count"] = state_offset
    return layers, offset


# --------------------------------------------------------------------------------------
# Relu6, hard sigmoid, hard swish and gelu (Networks/ActivationNetworks.cs): inputs times 8, so
# that pre-activations reach both sides of every kink and gelu's tails.
NETWORKS += [
    dict(name="HardActivationNet", format="ChannelsLast", input=(7, 6, 3), batch=3, seed=115, input_scale=8.0, layers=[
        conv2d(5, 3, padding="Same", activation="Relu6"),
        conv2d(6, 3, stride=(2, 2), padding="Same", activation="HardSwish"),
        simple("Activation", "HardSigmoid"),
        depthwise2d(3, padding="Same", activation="Gelu"),
        simple("Flatten"),
        dense(5, activation="Gelu"),
        dense(3, activation="HardSigmoid"),
    ]),
    dict(name="HardActivationSignalNetChannelsFirst", format="ChannelsFirst", input=(3, 13), batch=3, seed=116, input_scale=8.0, layers=[
        conv1d(5, 3, padding="Same", activation="Gelu"),
        simple("Activation", "Relu6"),
        conv1d(7, 2, stride=2),
        simple("Activation", "HardSwish"),
        conv1d(4, 3, activation="HardSigmoid"),
        simple("Flatten"),
        dense(3, activation="Relu6"),
    ]),
]

# Zero padding and up-sampling (Networks/ResamplingNetworks.cs): symmetric and asymmetric pads, in
# front of a 'same' convolution (which reads the padded output from a frame) and as the first layer;
# nearest and bilinear (linear in 1-D) by 2 and by (2, 3), on odd sizes; both data formats.
NETWORKS += [
    dict(name="ZeroPaddingNet", format="ChannelsLast", input=(7, 6, 3), batch=3, seed=117, layers=[
        zero_padding2d(1),
        conv2d(4, 3, activation="Tanh"),
        zero_padding2d(2, 0, 1, 3),
        conv2d(5, 3, stride=(2, 2), padding="Same"),
        simple("Flatten"),
        dense(3),
    ]),
    dict(name="ZeroPaddingSignalNetChannelsFirst", format="ChannelsFirst", input=(3, 11), batch=3, seed=118, layers=[
        conv1d(4, 3, activation="Tanh"),
        zero_padding1d(2, 1),
        zero_padding1d(1),
        conv1d(5, 3, stride=2),
        zero_padding1d(0, 3),
        simple("GlobalAvgPool"),
        dense(2),
    ]),
    dict(name="UpSamplingNetChannelsFirst", format="ChannelsFirst", input=(2, 5, 3), batch=3, seed=119, layers=[
        up_sampling2d(2, interpolation="Bilinear"),
        conv2d(4, 3, activation="Tanh"),
        up_sampling2d(2, 3),
        conv2d(3, 3, stride=(2, 2), padding="Same"),
        up_sampling2d(2),
        conv2d(3, 3, stride=(2, 2), activation="Tanh"),
        up_sampling2d(2, 3, interpolation="Bilinear"),
        simple("GlobalAvgPool"),
        dense(2),
    ]),
    dict(name="UpSamplingSignalNet", format="ChannelsLast", input=(7, 3), batch=3, seed=120, layers=[
        up_sampling1d(2),
        conv1d(4, 3, activation="Tanh"),
        up_sampling1d(3, interpolation="Bilinear"),
        conv1d(5, 3, stride=2, padding="Same"),
        conv1d(4, 4, stride=3),
        up_sampling1d(2, interpolation="Bilinear"),
        simple("Flatten"),
        dense(2),
    ]),
]

# Grouped convolutions (Groups; PyTorch's groups).
NETWORKS += [
    dict(name="GroupedTorchNet", format="ChannelsLast", input=(7, 8, 6), batch=3, seed=121, layers=[
        conv2d(9, 3, padding="Same", activation="Relu", groups=3),
        conv2d(6, 3, stride=(2, 2), activation="Tanh", groups=3),
        conv2d(6, 1, groups=6),
        simple("Flatten"),
        dense(3),
    ]),
    dict(name="GroupedTorchSignalNetChannelsFirst", format="ChannelsFirst", input=(4, 13), batch=3, seed=122, layers=[
        conv1d(8, 3, padding="Same", activation="Tanh", groups=2),
        conv1d(4, 3, stride=2, dilation=2, groups=4),
        simple("GlobalAvgPool"),
        dense(2),
    ]),
]

# Transposed convolutions (Networks/TransposedConvolutionNetworks.cs): 'same' with k > s and k < s,
# explicit asymmetric pads with output padding, dilation, odd channel counts, both data formats.
NETWORKS += [
    dict(name="TransposedTorchNet", format="ChannelsLast", input=(4, 5, 3), batch=3, seed=123, layers=[
        conv2d_transpose(5, 3, stride=(2, 2), padding="Same", activation="Relu"),
        explicit(conv2d_transpose(4, 3, stride=(2, 1), activation="Tanh", output_padding=(1, 0)), (1, 2, 0, 1)),
        explicit(conv2d_transpose(3, 3, dilation=(2, 2), bias=False), (1, 1, 1, 1)),
        conv2d_transpose(2, 2, stride=(3, 3)),
        simple("GlobalAvgPool"),
        dense(2),
    ]),
    dict(name="TransposedTorchSignalNetChannelsFirst", format="ChannelsFirst", input=(4, 7), batch=3, seed=124, layers=[
        explicit(conv1d_transpose(6, 3, stride=2, activation="LeakyRelu", output_padding=1), (1, 1)),
        explicit(conv1d_transpose(5, 3, dilation=2), (2, 1)),
        conv1d_transpose(3, 2, stride=3, padding="Same", activation="Sigmoid"),
        conv1d_transpose(4, 4, stride=2, padding="Same"),
        simple("Flatten"),
        dense(2),
    ]),
]

# The forward pass in PyTorch (float64, tensors as (N, C, spatial...)).
# --------------------------------------------------------------------------------------


def activate(x, name):
    return {
        "Linear": lambda v: v,
        "Relu": F.relu,
        "LeakyRelu": lambda v: F.leaky_relu(v, negative_slope=0.3),
        "Elu": lambda v: F.elu(v, alpha=1.0),
        "Sigmoid": torch.sigmoid,
        "Tanh": torch.tanh,
        "Softmax": lambda v: torch.softmax(v, dim=1),  # the channel axis, at every position
        "Softplus": F.softplus,
        "Silu": F.silu,
        "Relu6": F.relu6,
        "HardSigmoid": F.hardsigmoid,
        "HardSwish": F.hardswish,
        "Gelu": F.gelu,  # exact (approximate="none"), with erf
    }[name](x)


def torch_pads(layer, spatial_rank):
    top, bottom, left, right = layer["pads"]
    return (left, right, top, bottom) if spatial_rank == 2 else (left, right)


def run_layer(layer, x, kernel, bias, channels_last, record, state=None, training=False):
    kind = layer["kind"]
    rank = x.dim() - 2 if kind not in MERGES else None
    if kind in ("Conv1D", "Conv2D"):
        x = F.pad(x, torch_pads(layer, rank))
        if kind == "Conv2D":
            w = kernel.permute(3, 2, 0, 1)  # (kh, kw, cin / groups, f) -> (f, cin / groups, kh, kw)
            x = F.conv2d(x, w, bias, stride=tuple(layer["stride"]), dilation=tuple(layer["dilation"]), groups=layer["groups"])
        else:
            w = kernel.permute(2, 1, 0)  # (k, cin / groups, f) -> (f, cin / groups, k)
            x = F.conv1d(x, w, bias, stride=layer["stride"][1], dilation=layer["dilation"][1], groups=layer["groups"])
        return activate(x, layer["activation"])
    if kind in TRANSPOSED:
        # The whole adjoint output with the added cells (bias only) after it, then the crops.
        added_h, added_w = layer["added"]
        top, bottom, left, right = layer["pads"]
        if kind == "Conv2DTranspose":
            w = kernel.permute(3, 2, 0, 1)  # (kh, kw, f, c) -> (c, f, kh, kw)
            x = F.conv_transpose2d(x, w, bias, stride=tuple(layer["stride"]), output_padding=(added_h, added_w),
                                   dilation=tuple(layer["dilation"]))
            x = x[:, :, top:x.shape[2] - bottom, left:x.shape[3] - right]
        else:
            w = kernel.permute(2, 1, 0)  # (k, f, c) -> (c, f, k)
            x = F.conv_transpose1d(x, w, bias, stride=layer["stride"][1], output_padding=added_w, dilation=layer["dilation"][1])
            x = x[:, :, left:x.shape[2] - right]
        return activate(x, layer["activation"])
    if kind in ("DepthwiseConv1D", "DepthwiseConv2D"):
        # PyTorch's depthwise convolution is a grouped one, groups = input channels, weight
        # (c * m, 1, k...): output channel c * m + j is group c's j-th filter.
        x = F.pad(x, torch_pads(layer, rank))
        channels = x.shape[1]
        outputs = kernel.shape[-2] * kernel.shape[-1]
        if kind == "DepthwiseConv2D":
            kh, kw = kernel.shape[0], kernel.shape[1]
            w = kernel.reshape(kh, kw, outputs).permute(2, 0, 1).unsqueeze(1)
            x = F.conv2d(x, w, bias, stride=tuple(layer["stride"]), dilation=tuple(layer["dilation"]), groups=channels)
        else:
            k = kernel.shape[0]
            w = kernel.reshape(k, outputs).permute(1, 0).unsqueeze(1)
            x = F.conv1d(x, w, bias, stride=layer["stride"][1], dilation=layer["dilation"][1], groups=channels)
        return activate(x, layer["activation"])
    if kind in WINDOWED and kind not in ("Conv1D", "Conv2D") and "explicit" in layer:
        return explicit_pool(layer, x, rank)
    if kind in ("MaxPool1D", "MaxPool2D"):
        # Padded cells are -inf: max pooling ignores them.
        x = F.pad(x, torch_pads(layer, rank), value=-math.inf)
        if rank == 2:
            return F.max_pool2d(x, tuple(layer["window"]), tuple(layer["stride"]))
        return F.max_pool1d(x, layer["window"][1], layer["stride"][1])
    if kind in ("AvgPool1D", "AvgPool2D"):
        # The sum of the real cells divided by their number (TF 'same'; not count_include_pad).
        pads = torch_pads(layer, rank)
        ones = torch.ones_like(x[:1, :1])
        if rank == 2:
            area = layer["window"][0] * layer["window"][1]
            pool = lambda v: F.avg_pool2d(F.pad(v, pads), tuple(layer["window"]), tuple(layer["stride"])) * area
        else:
            area = layer["window"][1]
            pool = lambda v: F.avg_pool1d(F.pad(v, pads), layer["window"][1], layer["stride"][1]) * area
        return pool(x) / pool(ones)
    if kind in ZERO_PADDINGS:
        return F.pad(x, torch_pads(layer, rank))
    if kind in UP_SAMPLINGS:
        # Whole factors: PyTorch's nearest reads cell floor(i / s); bilinear and linear use half-pixel
        # centres with align_corners=False (TF2's 'bilinear').
        sh, sw = layer["size"]
        factor = (float(sh), float(sw)) if rank == 2 else float(sw)
        if layer["interpolation"] == "Nearest":
            return F.interpolate(x, scale_factor=factor, mode="nearest")
        return F.interpolate(x, scale_factor=factor, mode="bilinear" if rank == 2 else "linear", align_corners=False)
    if kind == "GlobalMaxPool":
        y = x.flatten(2).max(dim=2).values
        return y.reshape(y.shape + (1,) * rank) if layer.get("keep_dims") else y
    if kind == "GlobalAvgPool":
        y = x.flatten(2).mean(dim=2)
        return y.reshape(y.shape + (1,) * rank) if layer.get("keep_dims") else y
    if kind == "Flatten":
        if channels_last and rank > 0:
            x = x.permute(0, *range(2, x.dim()), 1)  # memory order of the data format
        return x.reshape(x.shape[0], -1)
    if kind == "Dense":
        record["dense_input"] = x.detach().clone()
        z = x @ kernel
        if bias is not None:
            z = z + bias
        z.retain_grad()
        record["pre_activation"] = z
        return activate(z, layer["activation"])
    if kind == "Activation":
        return activate(x, layer["activation"])
    if kind == "BatchNormalization":
        # PyTorch's momentum is the weight of the new value: Keras's momentum m is PyTorch's 1 - m. The running
        # statistics are updated in place (unbiased variance), as CnnGen updates State.
        mean, variance = state
        # CnnGen stores momentum and epsilon as float32: use exactly those values.
        momentum, epsilon = float(np.float32(layer["momentum"])), float(np.float32(layer["epsilon"]))
        return F.batch_norm(x, mean, variance, kernel, bias, training=training, momentum=1.0 - momentum, eps=epsilon)
    if kind == "Concatenate":
        return torch.cat(x, dim=1)  # the channel axis
    if kind in ("Add", "Multiply"):
        # A vector (N, C) under a feature map (N, C, spatial...) gets its spatial axes of size 1;
        # torch then broadcasts a single position over every position, as CnnGen does.
        rank = max(v.dim() for v in x)
        x = [v.reshape(v.shape + (1,) * (rank - v.dim())) for v in x]
        result = x[0]
        for v in x[1:]:
            result = result + v if kind == "Add" else result * v
        return activate(result, layer["activation"])
    raise ValueError(kind)


def explicit_pool(layer, x, rank):
    """Pooling with declared pads, in PyTorch's own terms: symmetric pads are the pooling's padding=p
    with ceil_mode and count_include_pad; asymmetric ones (no ceil mode) an F.pad before it, of -inf
    for max pooling, of zeros for an average that counts them, and otherwise the sum of the real
    cells over their number."""
    is_max = layer["kind"].startswith("Max")
    ceil, count = layer.get("ceil", False), layer.get("count", False)
    top, bottom, left, right = layer["pads"]
    window = tuple(layer["window"]) if rank == 2 else layer["window"][1]
    stride = tuple(layer["stride"]) if rank == 2 else layer["stride"][1]
    if top == bottom and left == right:
        padding = (top, left) if rank == 2 else left
        if is_max:
            pool = F.max_pool2d if rank == 2 else F.max_pool1d
            return pool(x, window, stride, padding=padding, ceil_mode=ceil)
        pool = F.avg_pool2d if rank == 2 else F.avg_pool1d
        return pool(x, window, stride, padding=padding, ceil_mode=ceil, count_include_pad=count)
    assert not ceil, "ceil mode with asymmetric pads: PyTorch has no such pooling"
    pads = torch_pads(layer, rank)
    if is_max:
        x = F.pad(x, pads, value=-math.inf)
        return F.max_pool2d(x, window, stride) if rank == 2 else F.max_pool1d(x, window, stride)
    pool = (lambda v: F.avg_pool2d(v, window, stride)) if rank == 2 else (lambda v: F.avg_pool1d(v, window, stride))
    if count:
        return pool(F.pad(x, pads))
    return pool(F.pad(x, pads)) / pool(F.pad(torch.ones_like(x[:1, :1]), pads))


def to_torch_layout(x, channels_last):
    """(N, spatial..., C) -> (N, C, spatial...) for channels-last tensors with spatial dims."""
    if channels_last and x.dim() > 2:
        return x.permute(0, x.dim() - 1, *range(1, x.dim() - 1))
    return x


def from_torch_layout(x, channels_last):
    if channels_last and x.dim() > 2:
        return x.permute(0, *range(2, x.dim()), 1)
    return x


# --------------------------------------------------------------------------------------
# The file format (README.md).
# --------------------------------------------------------------------------------------


def array(values, dtype):
    values = np.ascontiguousarray(np.asarray(values, dtype=np.float64))
    data = values.astype("<f4" if dtype == "float32" else "<f8")
    if dtype == "float32":
        assert np.array_equal(data.astype(np.float64), values), "not exactly representable in float32"
    return {"dtype": dtype, "shape": list(values.shape), "base64": base64.b64encode(data.tobytes()).decode("ascii")}


def run(net, layers, parameters, inputs, output_gradient, state=None, training=False):
    """Forward and backward in float64; returns the output and the leaves with their gradients (state, if any, is updated in place)."""
    channels_last = net["format"] == "ChannelsLast"
    batch = inputs.shape[0]
    # Leaf tensors in CnnGen's layouts, so that autograd's gradients are in them too.
    x_leaf = torch.tensor(inputs, requires_grad=True)
    leaves = []
    for layer in layers:
        o, k, b = layer["parameter_offset"], layer["kernel_length"], layer["bias_length"]
        kernel = torch.tensor(parameters[o:o + k].reshape(layer["kernel_shape"]), requires_grad=True) if k else None
        bias = torch.tensor(parameters[o + k:o + k + b], requires_grad=True) if b else None
        leaves.append((kernel, bias))

    values = {"input": to_torch_layout(x_leaf, channels_last)}
    records = []
    for layer, (kernel, bias) in zip(layers, leaves):
        record = {}
        inputs = [values[name] for name in layer["reads"]]
        layer_state = None
        if "state_offset" in layer:
            o, n = layer["state_offset"], layer["state_length"] // 2
            shared = torch.from_numpy(state)  # shares memory with `state`: PyTorch's in-place update is the result
            layer_state = (shared[o:o + n], shared[o + n:o + 2 * n])
        x = run_layer(layer, inputs if layer["kind"] in MERGES else inputs[0], kernel, bias, channels_last, record, layer_state, training)
        values[layer["name"]] = x
        records.append(record)
        expected = [batch] + layer["output_shape"]
        actual = list(from_torch_layout(x, channels_last).shape)
        assert actual == expected, "%s %s: torch gives %s, inferred %s" % (net["name"], layer["name"], actual, expected)
    output = from_torch_layout(x, channels_last)
    loss = (output * torch.tensor(output_gradient)).sum()
    loss.backward()
    return output, x_leaf, leaves, records


def random_values(net):
    """The resolved layers, and the parameters, inputs and output gradient (float64 arrays of float32 values)."""
    layers, parameter_count = resolve(net)
    seed, batch = net["seed"], net["batch"]

    # Parameters in CnnGen layout: value i of the stream `seed`, times the tensor's scale.
    parameters = np.zeros(parameter_count)
    for layer in layers:
        o, k, b = layer["parameter_offset"], layer["kernel_length"], layer["bias_length"]
        if k:
            parameters[o:o + k] = stream(seed, o, k, layer["kernel_scale"])
        if b:
            parameters[o + k:o + k + b] = stream(seed, o + k, b, layer["bias_scale"])
    input_shape = [batch] + list(net["input"])
    inputs = stream(seed + 1, 0, int(np.prod(input_shape)), net.get("input_scale", 1.0)).reshape(input_shape)
    output_shape = [batch] + layers[-1]["output_shape"]
    output_gradient = stream(seed + 2, 0, int(np.prod(output_shape)), 1.0).reshape(output_shape)
    # State (moving means and variances), float32 values: means in (-0.5, 0.5), variances in (0.25, 1.25).
    state = None
    if layers[0].get("network_state_count"):
        state = np.zeros(layers[0]["network_state_count"])
        for layer in layers:
            if "state_offset" in layer:
                o, n = layer["state_offset"], layer["state_length"] // 2
                state[o:o + n] = stream(seed + 3, o, n, 0.5)
                state[o + n:o + 2 * n] = np.float32(0.75 + 0.5 * stream(seed + 3, o + n, n, 1.0)).astype(np.float64)
    return layers, parameters, inputs, output_gradient, state


def make(net):
    for mode in net.get("modes", [None]):
        make_mode(net, mode)


def make_mode(net, mode):
    """One file: the network in inference or training mode (mode None: a network without state, NAME.json)."""
    layers, parameters, inputs, output_gradient, state = random_values(net)
    seed, batch, parameter_count = net["seed"], net["batch"], parameters.size
    state_before = None if state is None else state.copy()
    output, x_leaf, leaves, records = run(net, layers, parameters, inputs, output_gradient, state, training=mode == "training")

    out_layers = []
    for layer, (kernel, bias), record in zip(layers, leaves, records):
        entry = {key: layer[key] for key in ("kind", "name", "input_shape", "output_shape")}
        if layer["declares_inputs"]:
            entry["inputs"] = layer["reads"]
        if "activation" in layer:
            entry["activation"] = layer["activation"]
        if layer["kind"] in WINDOWED:
            entry.update(window=list(layer["window"]), stride=list(layer["stride"]),
                         dilation=list(layer["dilation"]), padding=layer["padding"], pads=layer["pads"])
            # Written only when set, so that the files of the other networks stay as they were.
            if layer.get("ceil"):
                entry["ceil_mode"] = True
            if layer.get("count"):
                entry["count_padding"] = True
        if layer["kind"] in TRANSPOSED:
            entry.update(window=list(layer["window"]), stride=list(layer["stride"]),
                         dilation=list(layer["dilation"]), padding=layer["padding"], pads=layer["pads"], output_padding=layer["added"])
        if layer["kind"] in ZERO_PADDINGS:
            entry["pads"] = layer["pads"]
        if layer["kind"] in UP_SAMPLINGS:
            entry.update(size=list(layer["size"]), interpolation=layer["interpolation"])
        if layer.get("keep_dims"):
            entry["keep_dims"] = True
        if layer["kind"] == "BatchNormalization":
            entry.update(momentum=layer["momentum"], epsilon=layer["epsilon"], state_offset=layer["state_offset"],
                         state_length=layer["state_length"])
        entry.update(parameter_offset=layer["parameter_offset"], kernel_shape=layer["kernel_shape"],
                     kernel_length=layer["kernel_length"], bias_length=layer["bias_length"])
        if kernel is not None:
            entry["kernel_scale"] = layer["kernel_scale"]
            grad = kernel.grad.numpy()
            if layer["kind"] == "Dense" and layer["kernel_length"] > FACTOR_ABOVE:
                a = record["dense_input"].numpy()
                delta = record["pre_activation"].grad.numpy()
                assert np.allclose(a.T @ delta, grad, rtol=1e-12, atol=1e-15)
                entry["kernel_gradient_factors"] = {"inputs": array(a, "float64"), "deltas": array(delta, "float64")}
            else:
                entry["kernel_gradient"] = array(grad, "float64")
        if bias is not None:
            entry["bias_scale"] = layer["bias_scale"]
            entry["bias_gradient"] = array(bias.grad.numpy(), "float64")
        out_layers.append(entry)

    document = {
        "format": FORMAT,
        "network": net["name"],
        "generated_by": "tests/CnnGen.Tests/Data/torch/make_reference.py with torch %s" % torch.__version__.split("+")[0],
        "data_format": net["format"],
        "input_shape": list(net["input"]),
        "output_shape": layers[-1]["output_shape"],
        "parameter_count": parameter_count,
        "batch": batch,
        "parameters": {
            "generator": "splitmix64-odd24",
            "seed": seed,
            "fnv1a64": fnv1a64(parameters.astype("<f4").tobytes()),
        },
        "layers": out_layers,
        "input": array(inputs, "float32"),
        "output": array(output.detach().numpy(), "float64"),
        "output_gradient": array(output_gradient, "float32"),
        "input_gradient": array(x_leaf.grad.numpy(), "float64"),
    }
    if mode is not None:
        # The state before the pass (float32 values) and after it (training mode updates the moving statistics).
        document.update(mode=mode, state=array(state_before, "float32"), state_after=array(state, "float64"))
    path = os.path.join(HERE, net["name"] + ("." + mode if mode else "") + ".json")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(document, f, indent=1)
        f.write("\n")
    print("%-24s %6d parameters, batch %d -> %s (%d bytes)" % (
        net["name"], parameter_count, batch, os.path.relpath(path), os.path.getsize(path)))


def check_float32(net):
    """
    How much of the C# tolerance PyTorch's own float32 arithmetic uses on the same values: a
    yardstick when a comparison fails (a share near CnnGen's means rounding, not a bug).
    """
    layers, parameters, inputs, output_gradient, state = random_values(net)
    training = net.get("modes", [None])[-1] == "training"
    exact = run(net, layers, parameters, inputs, output_gradient, None if state is None else state.copy(), training)
    torch.set_default_dtype(torch.float32)
    try:
        single = run(net, layers, parameters.astype(np.float32), inputs.astype(np.float32),
                     output_gradient.astype(np.float32), None if state is None else state.astype(np.float32), training)
    finally:
        torch.set_default_dtype(torch.float64)

    def used(expected, actual):
        expected, actual = expected.detach().double().numpy(), actual.detach().double().numpy()
        return 100 * float(np.max(np.abs(actual - expected) / np.maximum(1e-5 * np.abs(expected), 1e-6)))

    shares = [("output", used(exact[0], single[0])), ("input", used(exact[1].grad, single[1].grad))]
    for layer, (kernel, bias), (kernel32, bias32) in zip(layers, exact[2], single[2]):
        if kernel is not None:
            shares.append((layer["name"] + " kernel", used(kernel.grad, kernel32.grad)))
        if bias is not None:
            shares.append((layer["name"] + " bias", used(bias.grad, bias32.grad)))
    print("%s, PyTorch float32, share of the tolerance used: %s" % (
        net["name"], ", ".join("%s %.1f%%" % share for share in shares)))


def main():
    torch.set_default_dtype(torch.float64)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    arguments = sys.argv[1:]
    action = make
    if "--check-float32" in arguments:
        arguments.remove("--check-float32")
        action = check_float32
    unknown = set(arguments) - {net["name"] for net in NETWORKS}
    if unknown:
        sys.exit("unknown network(s): %s" % ", ".join(sorted(unknown)))
    for net in NETWORKS:
        if not arguments or net["name"] in arguments:
            action(net)


if __name__ == "__main__":
    main()
