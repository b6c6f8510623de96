#!/usr/bin/env python3
"""Checkerboard metrics of few-step samples (docs/results.md, "Few-step methods on checkerboard").

For each folder holding samples.npy (and metrics.json) written by `run` or `sample`: the exact W2 of
each block of 2000 samples against its own fresh draw of 2000 board points (optimal assignment,
scipy's linear_sum_assignment; the mean over the blocks), a sliced W2 (256 directions) against a
fresh draw of the same size, the fraction of samples off the support (in a white square or outside
the board) and the mass of the emptiest and fullest of the 8 black squares in units of their share 1/8
(the definitions of bench/experiments' CheckerboardSweep). The board points are drawn here with numpy
(uniform on the 8 black squares of a 4x4 board on [-sqrt 3, sqrt 3]^2, as the `checkerboard` data
set), from seeds neither training nor sampling uses.

Usage: bench/checkerboard_few_step.py floor | DIR...   (floor: the same metrics for a data draw)
"""
import json
import os
import sys

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist

SCALE = np.sqrt(3) / 2
BLOCK = 2000


def board(seed, n):
    rng = np.random.default_rng(seed)
    square = np.minimum(7, (8 * rng.random(n)).astype(int))
    row = square // 2
    col = 2 * (square % 2) + row % 2
    return np.stack([SCALE * (-2 + col + rng.random(n)), SCALE * (-2 + row + rng.random(n))], 1)


def black_square(x):
    """Index 0..7 of each row's black square; -1 off the support (white square, outside, not finite)."""
    u = x[:, 0] / SCALE + 2
    v = x[:, 1] / SCALE + 2
    inside = np.isfinite(u) & np.isfinite(v) & (u >= 0) & (u < 4) & (v >= 0) & (v < 4)
    col = np.floor(np.where(inside, u, 0)).astype(int)
    row = np.floor(np.where(inside, v, 0)).astype(int)
    return np.where(inside & ((row + col) % 2 == 0), 2 * row + col // 2, -1)


def exact_w2(a, b):
    cost = cdist(a, b, "sqeuclidean")
    r, c = linear_sum_assignment(cost)
    return np.sqrt(cost[r, c].mean())


def sliced_w2(a, b, directions=256, seed=5):
    theta = np.random.default_rng(seed).random(directions) * np.pi
    u = np.stack([np.cos(theta), np.sin(theta)], 1)
    return np.sqrt(np.mean((np.sort(a @ u.T, 0) - np.sort(b @ u.T, 0)) ** 2))


def measure(x, seed=1000):
    square = black_square(x)
    mass = np.bincount(square[square >= 0], minlength=8) / (len(x) / 8)
    blocks = [exact_w2(x[BLOCK * k:BLOCK * (k + 1)], board(seed + k, BLOCK)) for k in range(len(x) // BLOCK)]
    return {"exact_w2": float(np.mean(blocks)), "exact_w2_blocks": [float(w) for w in blocks],
            "sliced_w2": float(sliced_w2(x, board(seed + 99, len(x)))), "off_support": float(np.mean(square < 0)),
            "least_square": float(mass.min()), "most_square": float(mass.max())}


def show(name, r, metrics=None):
    nfe = metrics.get("nfe", "") if metrics else "-"
    own = f"{metrics['sliced_wasserstein']:.4f}" if metrics else "-"
    print(f"{name}\tNFE {nfe}\texact W2 {r['exact_w2']:.4f} ({', '.join(f'{w:.3f}' for w in r['exact_w2_blocks'])})"
          f"\tsliced W2 {r['sliced_w2']:.4f} (metrics.json {own})\toff support {100 * r['off_support']:.1f}%"
          f"\tsquares {r['least_square']:.2f} / {r['most_square']:.2f}")


if __name__ == "__main__":
    if sys.argv[1:] == ["floor"]:
        show("data vs data", measure(board(7, 2 * BLOCK)))
    for d in sys.argv[1:]:
        if d != "floor":
            with open(os.path.join(d, "metrics.json")) as f:
                show(d, measure(np.load(os.path.join(d, "samples.npy")).astype(float)), json.load(f))
