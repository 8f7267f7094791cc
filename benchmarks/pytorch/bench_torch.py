#!/usr/bin/env python3
"""Times the CnnGen benchmark networks in PyTorch (CPU, float32), as docs/benchmarks.md reports.

The networks are the ones of benchmarks/CnnGen.Benchmarks/Networks.cs, with the same shapes
and TF/Keras 'same' padding (explicit asymmetric F.pad). Prints one line per workload:
median microseconds per call over repeated runs, for 1 thread and for 2 threads.

Run: /usr/bin/python3 benchmarks/pytorch/bench_torch.py [--json out.json]
"""
import argparse
import json
import statistics
import time

import torch
import torch.nn.functional as F


def same_pads(n, k, s, d):
    """TF 'same' padding of one dimension: (before, after)."""
    out = (n + s - 1) // s
    total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


class LeNet5(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 6, 5)
        self.conv2 = torch.nn.Conv2d(6, 16, 5)
        self.fc1 = torch.nn.Linear(400, 120)
        self.fc2 = torch.nn.Linear(120, 84)
        self.fc3 = torch.nn.Linear(84, 10)

    def forward(self, x):
        x = F.relu(self.conv1(F.pad(x, (2, 2, 2, 2))))
        x = F.max_pool2d(x, 2)
        x = F.relu(self.conv2(x))
        x = F.max_pool2d(x, 2)
        x = torch.flatten(x.permute(0, 2, 3, 1), 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)  # logits; softmax is fused into the loss (or applied for inference)


class DigitNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 8, 3)
        self.conv2 = torch.nn.Conv2d(8, 16, 3)
        self.fc = torch.nn.Linear(64, 10)

    def forward(self, x):
        x = F.relu(self.conv1(F.pad(x, (1, 1, 1, 1))))
        x = F.max_pool2d(x, 2)
        x = F.relu(self.conv2(x))
        x = torch.flatten(x.permute(0, 2, 3, 1), 1)
        return self.fc(x)


class Conv1DNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = torch.nn.Conv1d(8, 32, 5)
        self.c2 = torch.nn.Conv1d(32, 32, 5, dilation=2)
        self.c3 = torch.nn.Conv1d(32, 32, 5)
        self.fc = torch.nn.Linear(32, 4)

    def forward(self, x):
        x = F.relu(self.c1(F.pad(x, same_pads(256, 5, 1, 1))))
        x = F.relu(self.c2(F.pad(x, same_pads(256, 5, 1, 2))))
        x = F.relu(self.c3(F.pad(x, same_pads(256, 5, 1, 1))))
        x = x.mean(dim=2)
        return self.fc(x)


class LargeLayer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(64, 64, 3)

    def forward(self, x):
        return self.conv(F.pad(x, (1, 1, 1, 1)))


NETWORKS = {
    "LeNet5": (LeNet5, (1, 28, 28), 10),
    "DigitNet": (DigitNet, (1, 8, 8), 10),
    "Conv1DNet": (Conv1DNet, (8, 256), 4),
    "LargeLayer": (LargeLayer, (64, 56, 56), None),
}


def median_us(step, min_seconds=0.3, repeats=15):
    for _ in range(20):
        step()
    iterations = 0
    start = time.perf_counter()
    while time.perf_counter() - start < min_seconds:
        step()
        iterations += 1
    per_run = max(1, iterations // 3)
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(per_run):
            step()
        samples.append((time.perf_counter() - start) * 1e6 / per_run)
    return statistics.median(samples)


def run(threads):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    results = {}
    for name, (cls, shape, classes) in NETWORKS.items():
        model = cls().float()
        # The large layer alone is timed at batch 1 (a batch of 32 is 32 times as long).
        for batch in ((1,) if classes is None else (1, 32)):
            x = torch.rand((batch,) + shape)
            model.eval()
            with torch.no_grad():
                if classes is None:
                    forward = lambda: model(x)
                else:
                    forward = lambda: torch.softmax(model(x), dim=1)
                results[f"{name} forward b{batch}"] = median_us(forward)
        if classes is not None:
            batch = 32
            x = torch.rand((batch,) + shape)
            y = torch.randint(0, classes, (batch,))
            model.train()
            optimizer = torch.optim.SGD(model.parameters(), lr=0.01)

            def train_step():
                optimizer.zero_grad(set_to_none=True)
                loss = F.cross_entropy(model(x), y)
                loss.backward()
                optimizer.step()

            results[f"{name} train b{batch}"] = median_us(train_step)
        else:
            x = torch.rand((1,) + shape, requires_grad=True)
            out_grad = torch.rand(1, 64, 56, 56)

            def backward():
                model.zero_grad(set_to_none=True)
                x.grad = None
                model(x).backward(out_grad)

            results[f"{name} backward b1"] = median_us(backward)
    return results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()
    report = {"torch": torch.__version__, "threads": {}}
    for threads in (1, 2):
        report["threads"][threads] = run(threads)
    print(f"PyTorch {torch.__version__}, float32, CPU")
    print(f"{'workload':<28}{'1 thread (us)':>16}{'2 threads (us)':>16}")
    for key in report["threads"][1]:
        print(f"{key:<28}{report['threads'][1][key]:>16.1f}{report['threads'][2][key]:>16.1f}")
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(report, handle, indent=2)


if __name__ == "__main__":
    main()
