#!/usr/bin/python3
"""Reference weights and outputs from PyTorch for the weight-import tests (WeightImportTests.cs).

Run from any directory with Debian's PyTorch (apt-get install python3-torch; torch 1.13, numpy):

    /usr/bin/python3 tests/CnnGen.Tests/Data/Weights/make_weights.py

It writes, beside itself, for each model NAME:
    NAME.safetensors        the state_dict in safetensors format (written by hand below: the
                            safetensors package is not in Debian), tensors in state_dict order
    NAME_state_dict.npz     the same state_dict as numpy.savez writes it (keys 'conv1.weight', ...)
    NAME_keras.npz          the same weights in Keras layout, as Keras get_weights() returns them
                            (channels-last flatten order for the first Dense after a Flatten)
    NAME_input.npy          a batch of inputs, float32, PyTorch layout (N, C, H, W) or (N, C, L)
    NAME_output.npy         PyTorch's outputs for them, float64 (the model run in double precision)

The models implement CnnGen's (Keras/TensorFlow) semantics with explicit F.pad: 'same' pads
total = max((out - 1) * stride + (k - 1) * dilation + 1 - n, 0), half (rounded down) before and
the rest after; 'causal' pads (k - 1) * dilation before; max pooling pads with -inf; average
pooling divides by the number of real cells. They match the networks in
tests/CnnGen.Tests/Networks/ImportNetworks.cs and TestNetworks.cs (DigitNet).
"""
import io
import json
import math
import os
import struct
import zipfile

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def same_pads(n, k, s, d=1):
    out = math.ceil(n / s)
    total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


def pad2d_same(x, k, s, d=1, value=0.0):
    top, bottom = same_pads(x.shape[2], k, s, d)
    left, right = same_pads(x.shape[3], k, s, d)
    return F.pad(x, (left, right, top, bottom), value=value)


def pad1d_same(x, k, s, d=1, value=0.0):
    before, after = same_pads(x.shape[2], k, s, d)
    return F.pad(x, (before, after), value=value)


def avg_pool1d_same(x, k, s):
    """Average pooling that divides by the real cells of each window (Keras 'same')."""
    padded = pad1d_same(x, k, s)
    mask = pad1d_same(torch.ones_like(x[:1, :1]), k, s)
    return F.avg_pool1d(padded, k, s) / F.avg_pool1d(mask, k, s)


class LeNet(nn.Module):
    """TorchLeNet: 12x12x2 -> conv 6@5x5 same relu -> maxpool 2 -> conv 8@3x3 stride 2 same (pads 0 top, 1 bottom)
    leaky relu 0.3 -> flatten (3x3x8) -> dense 16 tanh -> dense 10 softmax."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(2, 6, 5)
        self.conv2 = nn.Conv2d(6, 8, 3, stride=2)
        self.fc1 = nn.Linear(72, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = F.relu(self.conv1(pad2d_same(x, 5, 1)))
        x = F.max_pool2d(x, 2)
        x = F.leaky_relu(self.conv2(pad2d_same(x, 3, 2)), 0.3)
        x = torch.flatten(x, 1)
        x = torch.tanh(self.fc1(x))
        return torch.softmax(self.fc2(x), dim=1)


class Digits(nn.Module):
    """DigitNet / DigitNetChannelsFirst: 8x8x1 -> conv 8@3x3 same relu -> maxpool 2 -> conv 16@3x3 relu
    -> flatten (2x2x16) -> dense 10 softmax."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3)
        self.conv2 = nn.Conv2d(8, 16, 3)
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.conv1(pad2d_same(x, 3, 1)))
        x = F.max_pool2d(x, 2)
        x = F.relu(self.conv2(x))
        return torch.softmax(self.fc(torch.flatten(x, 1)), dim=1)


class Signal(nn.Module):
    """TorchSignalNet: 21x3 -> conv 8@3 causal dilation 2 tanh -> conv 6@4 stride 2 same (pads 1, 2) elu
    -> avgpool 3 stride 2 same (pads 1, 1) -> conv 5@3 dilation 2 silu -> maxpool 3 stride 1 same (pads 1, 1)
    -> flatten (2x5) -> dense 4 softplus."""

    def __init__(self):
        super().__init__()
        self.body = nn.ModuleList([
            nn.Conv1d(3, 8, 3, dilation=2),
            nn.Conv1d(8, 6, 4, stride=2),
            nn.Conv1d(6, 5, 3, dilation=2),
        ])
        self.head = nn.Linear(10, 4)

    def forward(self, x):
        x = torch.tanh(self.body[0](F.pad(x, (2 * 2, 0))))
        x = F.elu(self.body[1](pad1d_same(x, 4, 2)))
        x = avg_pool1d_same(x, 3, 2)
        x = F.silu(self.body[2](x))
        x = F.max_pool1d(pad1d_same(x, 3, 1, value=-math.inf), 3, 1)
        return F.softplus(self.head(torch.flatten(x, 1)))


class Mobile(nn.Module):
    """TorchMobileNet: 9x9x6 -> depthwise 3x3 multiplier 2 stride 2 same (pads 1, 1) relu
    (PyTorch's Conv2d with groups = in_channels) -> pointwise conv 8@1x1 relu -> global average
    pool -> dense 3."""

    def __init__(self):
        super().__init__()
        self.dw = nn.Conv2d(6, 12, 3, stride=2, groups=6)
        self.pw = nn.Conv2d(12, 8, 1)
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        x = F.relu(self.dw(pad2d_same(x, 3, 2)))
        x = F.relu(self.pw(x))
        return self.head(x.mean((2, 3)))


class Norm(nn.Module):
    """TorchNormNet: 9x9x3 -> conv 6@3x3 (no bias) -> BatchNorm2d relu -> conv 5@3x3 stride 2 -> BatchNorm2d
    without affine (no gamma, no beta) -> flatten (3x3x5) -> dense 8 -> BatchNorm1d tanh -> dense 3.
    Evaluated in inference mode: the running statistics normalise."""

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(6)
        self.conv2 = nn.Conv2d(6, 5, 3, stride=2)
        self.bn2 = nn.BatchNorm2d(5, affine=False)
        self.fc1 = nn.Linear(45, 8)
        self.bn3 = nn.BatchNorm1d(8)
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        x = self.bn2(self.conv2(x))
        x = torch.tanh(self.bn3(self.fc1(torch.flatten(x, 1))))
        return self.fc2(x)


class Up(nn.Module):
    """TorchUpNet: 5x6x3 -> ConvTranspose2d 4@3x3 stride 2 padding 1 output_padding 1 relu (10x12) ->
    ConvTranspose2d 2@2x2 stride 2 (20x24) -> global average pool -> dense 3. Transposed weights are
    (in, out, kh, kw) in PyTorch, (kh, kw, out, in) in Keras."""

    def __init__(self):
        super().__init__()
        self.up1 = nn.ConvTranspose2d(3, 4, 3, stride=2, padding=1, output_padding=1)
        self.up2 = nn.ConvTranspose2d(4, 2, 2, stride=2)
        self.head = nn.Linear(2, 3)

    def forward(self, x):
        x = self.up2(F.relu(self.up1(x)))
        return self.head(x.mean((2, 3)))


class UpSignal(nn.Module):
    """TorchUpSignalNet: 6x2 -> ConvTranspose1d 3@3 stride 2 dilation 2 padding 2 output_padding 1 tanh (12) ->
    ConvTranspose1d 2@2 stride 3 without bias (35) -> global average pool -> dense 2."""

    def __init__(self):
        super().__init__()
        self.up1 = nn.ConvTranspose1d(2, 3, 3, stride=2, dilation=2, padding=2, output_padding=1)
        self.up2 = nn.ConvTranspose1d(3, 2, 2, stride=3, bias=False)
        self.head = nn.Linear(2, 2)

    def forward(self, x):
        x = self.up2(torch.tanh(self.up1(x)))
        return self.head(x.mean(2))


def randomize_statistics(model, seed):
    """Running statistics far from 0 and 1, and a step count, as a trained model has them."""
    generator = torch.Generator().manual_seed(seed)
    for module in model.modules():
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.running_mean.copy_(torch.rand(module.running_mean.shape, generator=generator) * 2 - 1)
            module.running_var.copy_(torch.rand(module.running_var.shape, generator=generator) * 1.5 + 0.25)
            module.num_batches_tracked.fill_(1234)
    model.eval()


def randomize(model, seed, round_to=None):
    """Random weights and clearly non-zero biases; optionally rounded to a narrower type so that
    a file in that type holds them exactly."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in model.named_parameters():
            scale = 0.5 if name.endswith("bias") else 1.0 / math.sqrt(parameter[0].numel())
            parameter.copy_((torch.rand(parameter.shape, generator=generator) * 2 - 1) * scale * 1.5)
            if round_to is not None and name in round_to:
                parameter.copy_(parameter.to(round_to[name]).float())


SAFETENSORS_DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16"}


def save_safetensors(tensors, path):
    """The safetensors format by hand: u64 little-endian header length, JSON header, raw data."""
    header, chunks, offset = {}, [], 0
    for name, tensor in tensors.items():
        tensor = tensor.contiguous()
        if tensor.dtype == torch.bfloat16:
            data = tensor.view(torch.int16).numpy().astype("<i2").tobytes()
        else:
            data = tensor.numpy().astype(tensor.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": SAFETENSORS_DTYPES[tensor.dtype], "shape": list(tensor.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    header["__metadata__"] = {"format": "pt", "written_by": "make_weights.py"}
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * (-len(text) % 8)  # the library pads the header to 8 bytes with spaces
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in chunks:
            f.write(data)


def savez(path, arrays):
    """numpy.savez with a fixed timestamp, so that running the script again gives the same bytes."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, array in arrays.items():
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.ascontiguousarray(array), allow_pickle=False)
            archive.writestr(zipfile.ZipInfo(name + ".npy", date_time=(1980, 1, 1, 0, 0, 0)), buffer.getvalue())


def keras_weights(model, flatten_after):
    """get_weights() order and layout: conv (kh, kw, in, out) / (k, in, out), transposed conv (kh, kw, out, in) /
    (k, out, in), dense (in, out), bias.
    flatten_after: {linear name: (C, spatial...)} for a Linear fed by an NCHW flatten; its rows go
    to (spatial..., C) order, which a channels-last Keras model has."""
    arrays = []
    for name, module in model.named_modules():
        if isinstance(module, nn.ConvTranspose2d):
            # (in, out, kh, kw) -> Keras's Conv2DTranspose kernel (kh, kw, out, in).
            arrays.append(module.weight.detach().permute(2, 3, 1, 0).numpy())
        elif isinstance(module, nn.ConvTranspose1d):
            arrays.append(module.weight.detach().permute(2, 1, 0).numpy())
        elif isinstance(module, nn.Conv2d) and module.groups > 1:
            # A depthwise Conv2d (c * m, 1, kh, kw) is Keras's DepthwiseConv2D kernel (kh, kw, c, m).
            weight = module.weight.detach().permute(2, 3, 1, 0)
            arrays.append(weight.reshape(weight.shape[0], weight.shape[1], module.groups, -1).numpy())
        elif isinstance(module, nn.Conv2d):
            arrays.append(module.weight.detach().permute(2, 3, 1, 0).numpy())
        elif isinstance(module, nn.Conv1d):
            arrays.append(module.weight.detach().permute(2, 1, 0).numpy())
        elif isinstance(module, nn.Linear):
            kernel = module.weight.detach().t().numpy()
            if name in flatten_after:
                shape = flatten_after[name]
                rank = len(shape)
                kernel = kernel.reshape(*shape, -1).transpose(*range(1, rank), 0, rank).reshape(kernel.shape)
            arrays.append(kernel)
        elif isinstance(module, nn.modules.batchnorm._BatchNorm):
            # gamma and beta if affine, then moving_mean and moving_variance.
            if module.affine:
                arrays += [module.weight.detach().numpy(), module.bias.detach().numpy()]
            arrays += [module.running_mean.numpy(), module.running_var.numpy()]
            continue
        else:
            continue
        if module.bias is not None:
            arrays.append(module.bias.detach().numpy())
    return [np.ascontiguousarray(a) for a in arrays]


def write(name, model, input_shape, flatten_after, seed, safetensors_types=None, npz_dtype=np.float32,
          keras_dtype=np.float32, keras_names=None):
    state = model.state_dict()
    save_safetensors({k: v.to((safetensors_types or {}).get(k, torch.float32)) for k, v in state.items()},
                     os.path.join(HERE, name + ".safetensors"))
    savez(os.path.join(HERE, name + "_state_dict.npz"), {k: v.numpy().astype(npz_dtype) for k, v in state.items()})
    arrays = [a.astype(keras_dtype) for a in keras_weights(model, flatten_after)]
    # Positional names as np.savez(path, *model.get_weights()) gives them, or Keras weight names.
    savez(os.path.join(HERE, name + "_keras.npz"), dict(zip(keras_names or [f"arr_{i}" for i in range(len(arrays))], arrays)))

    generator = torch.Generator().manual_seed(seed)
    inputs = torch.rand(input_shape, generator=generator) * 2 - 1
    with torch.no_grad():
        outputs = model.double()(inputs.double())
    np.save(os.path.join(HERE, name + "_input.npy"), inputs.numpy().astype(np.float32))
    np.save(os.path.join(HERE, name + "_output.npy"), outputs.numpy())
    print(f"{name}: {sum(p.numel() for p in model.parameters())} parameters, outputs {tuple(outputs.shape)}")


def main():
    torch.manual_seed(0)

    lenet = LeNet()
    randomize(lenet, seed=1)
    write("lenet", lenet, (3, 2, 12, 12), {"fc1": (8, 3, 3)}, seed=11)

    digits = Digits()
    randomize(digits, seed=2)
    write("digits", digits, (4, 1, 8, 8), {"fc": (16, 2, 2)}, seed=12, keras_dtype=np.float64,
          keras_names=["conv2d/kernel:0", "conv2d/bias:0", "conv2d_1/kernel:0", "conv2d_1/bias:0", "dense/kernel:0", "dense/bias:0"])

    # Every safetensors element type in one file: weights rounded so that each type holds them exactly.
    types = {"body.0.weight": torch.bfloat16, "body.0.bias": torch.float16, "body.1.weight": torch.float16,
             "body.1.bias": torch.bfloat16, "body.2.weight": torch.float64, "head.weight": torch.bfloat16}
    signal = Signal()
    randomize(signal, seed=3, round_to=types)
    write("signal", signal, (5, 3, 21), {"head": (5, 2)}, seed=13, safetensors_types=types, npz_dtype=np.float64)

    mobile = Mobile()
    randomize(mobile, seed=4)
    write("mobile", mobile, (3, 6, 9, 9), {}, seed=14)

    norm = Norm()
    randomize(norm, seed=5)
    randomize_statistics(norm, seed=6)
    write("norm", norm, (4, 3, 9, 9), {"fc1": (5, 3, 3)}, seed=15)

    up = Up()
    randomize(up, seed=7)
    write("up", up, (3, 3, 5, 6), {}, seed=16)

    up_signal = UpSignal()
    randomize(up_signal, seed=8)
    write("up_signal", up_signal, (4, 2, 6), {}, seed=17)


if __name__ == "__main__":
    main()
