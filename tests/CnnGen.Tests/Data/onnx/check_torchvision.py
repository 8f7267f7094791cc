#!/usr/bin/python3
"""Whole torchvision architectures exported to ONNX for the importer's end-to-end check (not in CI).

    /usr/bin/python3 tests/CnnGen.Tests/Data/onnx/check_torchvision.py [DIR] [NAME ...]

writes DIR/NAME.onnx (DIR defaults to /tmp/tv) for every model below, or for the NAMEs given:
torchvision's architectures with random weights (weights=None: no download) and batch-norm
statistics and affine values drawn far from 0 and 1 (PyTorch's defaults make them identities,
which would hide a folding error), in eval mode, exported with torch.onnx.export with a
symbolic batch size and a fixed spatial size. Nothing is written to the repository. Then

    CNNGEN_TORCHVISION_DIR=/tmp/tv dotnet test tests/CnnGen.Tests -c Release \
        --filter "FullyQualifiedName~WholeModelImportTests" --logger "console;verbosity=detailed"

imports every .onnx file of that directory, compiles it with the generator and compares it
with ONNX Runtime (WholeModelImportTests.cs; docs/testing.md, "Whole torchvision models").
Torch 1.13 and torchvision 0.14 (Debian's python3-torch, python3-torchvision, python3-onnx).
"""
import os
import sys

import torch
import torchvision.models as m

# name: (constructor, keyword arguments, input side, opset[, torch.onnx.export's options])
MODELS = {
    "resnet18_64": (m.resnet18, {}, 64, 13),
    "resnet50_64": (m.resnet50, {}, 64, 13),
    "mobilenet_v2_64": (m.mobilenet_v2, {}, 64, 13),
    "mobilenet_v3_small_64": (m.mobilenet_v3_small, {}, 64, 13),
    "mobilenet_v3_small_64_opset17": (m.mobilenet_v3_small, {}, 64, 17),
    "mobilenet_v3_large_64": (m.mobilenet_v3_large, {}, 64, 13),
    "mnasnet0_5_64": (m.mnasnet0_5, {}, 64, 13),
    "efficientnet_b0_64": (m.efficientnet_b0, {}, 64, 13),
    "squeezenet1_1_64": (m.squeezenet1_1, {}, 64, 13),
    "shufflenet_v2_x0_5_64": (m.shufflenet_v2_x0_5, {}, 64, 13),
    "regnet_x_400mf_64": (m.regnet_x_400mf, {}, 64, 13),
    "resnet18_224": (m.resnet18, {}, 224, 13),
    "mobilenet_v2_224": (m.mobilenet_v2, {}, 224, 13),
    "resnet50_224": (m.resnet50, {}, 224, 13),
    "mobilenet_v3_large_224": (m.mobilenet_v3_large, {}, 224, 13),
    "efficientnet_b0_224": (m.efficientnet_b0, {}, 224, 13),
    # More of the families, odd sizes (where PyTorch's pads at stride 2 are Keras's 'same') and older opsets.
    "resnext50_32x4d_64": (m.resnext50_32x4d, {}, 64, 13),
    "mnasnet1_0_64": (m.mnasnet1_0, {}, 64, 13),
    "efficientnet_v2_s_64": (m.efficientnet_v2_s, {}, 64, 13),
    "squeezenet1_0_64": (m.squeezenet1_0, {}, 64, 13),
    "resnet18_97": (m.resnet18, {}, 97, 13),
    "efficientnet_b0_97": (m.efficientnet_b0, {}, 97, 13),
    "mobilenet_v3_large_97_opset11": (m.mobilenet_v3_large, {}, 97, 11),
    "mobilenet_v2_64_opset9": (m.mobilenet_v2, {"width_mult": 0.5}, 64, 9),
    "mobilenet_v3_large_64_opset9": (m.mobilenet_v3_large, {}, 64, 9),
    "efficientnet_b0_64_opset17": (m.efficientnet_b0, {}, 64, 17),
    "resnet18_64_unfolded": (m.resnet18, {}, 64, 13, {"do_constant_folding": False}),
    "mobilenet_v3_small_64_batch1": (m.mobilenet_v3_small, {}, 64, 13, {"dynamic_axes": None}),
}


def randomize_batch_norm(model):
    for module in model.modules():
        if isinstance(module, (torch.nn.BatchNorm1d, torch.nn.BatchNorm2d)):
            with torch.no_grad():
                channels = module.num_features
                module.running_mean.copy_(torch.randn(channels) * 0.5)
                module.running_var.copy_(torch.rand(channels) * 1.5 + 0.25)
                if module.affine:
                    module.weight.copy_(torch.randn(channels) * 0.5 + 1)
                    module.bias.copy_(torch.randn(channels) * 0.3)
    return model


def export(directory, name, spec, seed):
    make, kwargs, side, opset = spec[:4]
    options = {"dynamic_axes": {"input": {0: "batch"}, "output": {0: "batch"}}, **(spec[4] if len(spec) > 4 else {})}
    torch.manual_seed(seed)
    model = randomize_batch_norm(make(weights=None, **kwargs)).eval()
    example = torch.randn(1, 3, side, side)
    path = os.path.join(directory, name + ".onnx")
    with torch.no_grad():
        torch.onnx.export(model, example, path, opset_version=opset, input_names=["input"], output_names=["output"], **options)
    print(f"wrote {path} ({os.path.getsize(path) / 1e6:.1f} MB)", flush=True)


def main(arguments):
    directory = "/tmp/tv"
    if arguments and arguments[0] not in MODELS:
        directory, arguments = arguments[0], arguments[1:]
    os.makedirs(directory, exist_ok=True)
    for seed, (name, spec) in enumerate(MODELS.items(), start=1):
        if not arguments or name in arguments:
            export(directory, name, spec, seed)


if __name__ == "__main__":
    main(sys.argv[1:])
