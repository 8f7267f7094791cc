#!/usr/bin/python3
"""Trains the example's model in PyTorch and exports it to ONNX: a small residual CNN with batch
normalisation for the bundled 8x8 handwritten digits (examples/data/digits.csv.gz).

    /usr/bin/python3 examples/ImportedModel/train_model.py

writes digits_resnet.onnx beside itself (about 60 KB). The digits whose index is a multiple of 5
are the test digits: never trained on here, and the ones the C# program evaluates. Then

    dotnet run --project src/CnnGen.Cli -- import examples/ImportedModel/digits_resnet.onnx \\
        --name DigitsResNet --namespace ImportedModel --output examples/ImportedModel

writes DigitsResNet.cnn and DigitsResNet.cnnw, which the program compiles and loads.
Needs Debian's python3-torch and python3-onnx (torch 1.13); about a minute on two cores.
"""
import gzip
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "data", "digits.csv.gz")


def load():
    rows = [line.split(",") for line in gzip.open(DATA, "rt").read().splitlines() if line]
    pixels = torch.tensor([[float(v) / 16 for v in row[:64]] for row in rows]).reshape(-1, 1, 8, 8)
    labels = torch.tensor([int(row[64]) for row in rows])
    test = torch.arange(len(rows)) % 5 == 0
    return pixels[~test], labels[~test], pixels[test], labels[test]


class Block(nn.Module):
    """ResNet's basic block: two 3x3 convolutions with batch norm, the input added back."""

    def __init__(self, channels):
        super().__init__()
        self.conv1 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(channels)

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)))
        return F.relu(x + self.bn2(self.conv2(y)))


class DigitsResNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16), nn.ReLU())
        self.block1 = Block(16)
        self.pool = nn.MaxPool2d(2)
        self.widen = nn.Sequential(nn.Conv2d(16, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU())
        self.block2 = Block(32)
        self.head = nn.Linear(32, 10)

    def forward(self, x):
        x = self.pool(self.block1(self.stem(x)))
        x = self.block2(self.widen(x))
        return self.head(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def main():
    torch.manual_seed(7)
    train_x, train_y, test_x, test_y = load()
    model = DigitsResNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.003)
    for epoch in range(12):
        model.train()
        order = torch.randperm(len(train_x))
        for start in range(0, len(order), 32):
            batch = order[start:start + 32]
            loss = F.cross_entropy(model(train_x[batch]), train_y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
        print(f"epoch {epoch + 1}: loss {loss.item():.4f}, test accuracy {accuracy * 100:.2f}%")

    path = os.path.join(HERE, "digits_resnet.onnx")
    torch.onnx.export(model, test_x[:1], path, opset_version=13, input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
