#!/bin/sh
# Regenerates the .cnn declarations of this folder (ResNet-18 and MobileNetV2 at 224x224 and
# 64x64, MobileNetV3-Large at 224x224, channels first) from torchvision, as docs/benchmarks.md describes:
#
#     benchmarks/CnnGen.Benchmarks/Models/import_models.sh [WORK_DIR]
#
# torchvision's architectures are exported to ONNX by tests/CnnGen.Tests/Data/onnx/check_torchvision.py
# (random weights, no download) into WORK_DIR (default: a new temporary directory), imported with
# 'cnngen import --format cnn', and only the .cnn files are copied here. The .onnx and .cnnw files
# (tens of MB) stay in WORK_DIR: the benchmarks time CnnGen's default initialisation, and ONNX
# Runtime runs CnnGen's own ONNX export of the same network. Needs /usr/bin/python3 with torch,
# torchvision and onnx (Debian: python3-torch python3-torchvision python3-onnx) and the .NET SDK.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work/cnn"

/usr/bin/python3 "$repo/tests/CnnGen.Tests/Data/onnx/check_torchvision.py" "$work" \
    resnet18_224 resnet18_64 mobilenet_v2_224 mobilenet_v2_64 mobilenet_v3_large_224

dotnet build -c Release "$repo/src/CnnGen.Cli" -v q --nologo
for model in resnet18_224:ResNet18At224 resnet18_64:ResNet18At64 mobilenet_v2_224:MobileNetV2At224 mobilenet_v2_64:MobileNetV2At64 \
    mobilenet_v3_large_224:MobileNetV3LargeAt224; do
    file=${model%%:*}
    name=${model##*:}
    dotnet run -c Release --no-build --project "$repo/src/CnnGen.Cli" -- import "$work/$file.onnx" \
        --name "$name" --namespace CnnGen.Benchmarks --format cnn --output "$work/cnn" > "$work/cnn/$name.summary.txt"
    # The importer's header names the .cnnw file; say that it is not part of the repository.
    awk 'NR == 3 { print "// The .cnnw is not committed: the benchmarks run the default initialisation (Models/import_models.sh)." } { print }' \
        "$work/cnn/$name.cnn" > "$here/$name.cnn"
    echo "wrote $here/$name.cnn"
done
