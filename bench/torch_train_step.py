#!/usr/bin/python3
"""One training step of Diffuse4J's two example networks, re-done in PyTorch, for a side-by-side
timing (issue 6). Run with Debian's interpreter, which has python3-torch:

    /usr/bin/python3 bench/torch_train_step.py [--model mlp|unet|all] [--steps 20] [--warmup 5]

Prints one JSON object: per model the median / mean / min milliseconds per step over the timed
steps (after the warm-up steps), the number of trainable parameters, and the settings.

What one step does, for both models, mirroring runtime/.../train/Trainer.java and Updates.java:
build the batch (data rows, Gaussian noise, per-example t), x_t = alpha(t) x0 + sigma(t) eps,
forward, per-example mean squared error on the target times the (all-ones) weight column, mean
over the batch, backward, Adam (beta1 0.9, beta2 0.999, eps 1e-8) with the manifest's learning
rate schedule, EMA of the weights (decay min(0.999, (1+k)/(10+k)), 0 at the first step), and the
loss read back as a Python float (Diffuse4J fetches it every step). Gradient clipping only with
--clip-norm > 0 (neither example manifest clips).

  mlp  : examples/manifests/two-moons.yaml -- [x, sin/cos time embedding (32, t scaled by 1000)]
         -> 3 x (Linear 256, SiLU) -> Linear 2; flow matching on the rectified-flow path
         x_t = (1 - t) x0 + t eps, target eps - x0; batch 1024, lr 2e-3, 100 warm-up steps.
  unet : examples/manifests/fashion-mnist-cfg.yaml -- plugins-networks/.../unet/UNet.java with base 16,
         channel_mult [1, 2, 2], 1 res block per level (2 on the way up), self-attention at 7x7,
         GroupNorm(8), 10 classes + a null class, 28x28x1; eps-prediction on the cosine VP path,
         10% of labels dropped to the null class; batch 128, lr 2e-3, 200 warm-up steps, cosine.
"""
import argparse
import gzip
import json
import math
import os
import statistics
import sys
import time

try:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    sys.exit("torch_train_step.py: PyTorch is missing. Install Debian's build with "
             "`sudo apt-get install -y python3-torch` and run this with /usr/bin/python3.")

FASHION_DIR = "/usr/share/datasets/fashion-mnist"


# ----------------------------------------------------------------------------------------------
# Networks (same layer structure, sizes and initial-value scales as Diffuse4J's)

def lecun_(w, fan_in, gain=1.0):
    with torch.no_grad():
        if gain == 0:
            w.zero_()
        else:
            w.normal_(0.0, gain / math.sqrt(fan_in))


def frequencies(half, time_scale):
    k = torch.arange(half, dtype=torch.float32)
    return time_scale * torch.exp(-math.log(10000.0) * k / max(1, half - 1))


class Mlp(nn.Module):
    """plugins-networks/.../networks/Mlp.java: [x, sin(t f), cos(t f)] -> depth x (dense, act) -> dense to dim."""

    def __init__(self, dim=2, width=256, depth=3, time_embedding=32, time_scale=1000.0):
        super().__init__()
        self.register_buffer("freq", frequencies(time_embedding // 2, time_scale).reshape(1, -1))
        sizes = [dim + time_embedding] + [width] * depth + [dim]
        self.layers = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:]))
        for layer in self.layers:
            lecun_(layer.weight, layer.in_features)
            nn.init.zeros_(layer.bias)

    def forward(self, x, t):
        arg = t.reshape(-1, 1) * self.freq
        h = torch.cat([x, torch.sin(arg), torch.cos(arg)], dim=1)
        for i, layer in enumerate(self.layers):
            h = layer(h)
            if i < len(self.layers) - 1:
                h = F.silu(h)
        return h


def conv(cin, cout, k, stride=1, gain=1.0):
    """3x3 or 1x1 conv with bias; 'same' output size like TensorFlow's SAME padding."""
    c = nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2)
    lecun_(c.weight, k * k * cin, gain)
    nn.init.zeros_(c.bias)
    return c


def dense(cin, cout):
    d = nn.Linear(cin, cout)
    lecun_(d.weight, cin)
    nn.init.zeros_(d.bias)
    return d


class ResBlock(nn.Module):
    """unet/ResBlock.java: conv(SiLU(GN x)) + Dense(SiLU emb); conv(SiLU(GN h)); + skip."""

    def __init__(self, cin, cout, emb_dim, groups):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=1e-5)
        self.conv1 = conv(cin, cout, 3)
        self.emb = dense(emb_dim, cout)
        self.norm2 = nn.GroupNorm(groups, cout, eps=1e-5)
        self.conv2 = conv(cout, cout, 3)
        self.skip = conv(cin, cout, 1) if cin != cout else None

    def forward(self, x, emb_silu):
        h = self.conv1(F.silu(self.norm1(x)))
        h = h + self.emb(emb_silu)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return (x if self.skip is None else self.skip(x)) + h


class Attention(nn.Module):
    """unet/Attention.java: single head over H*W positions, q/k/v/proj 1x1 convs of GN(x)."""

    def __init__(self, ch, groups):
        super().__init__()
        self.norm = nn.GroupNorm(groups, ch, eps=1e-5)
        self.q, self.k, self.v, self.proj = (conv(ch, ch, 1) for _ in range(4))
        self.ch = ch

    def forward(self, x):
        b, c, h, w = x.shape
        n = self.norm(x)
        q = self.q(n).reshape(b, c, h * w).transpose(1, 2)  # [B, N, C]
        k = self.k(n).reshape(b, c, h * w)                  # [B, C, N]
        v = self.v(n).reshape(b, c, h * w).transpose(1, 2)  # [B, N, C]
        weights = torch.softmax(torch.bmm(q, k) * (1.0 / math.sqrt(c)), dim=-1)
        mixed = torch.bmm(weights, v).transpose(1, 2).reshape(b, c, h, w)
        return x + self.proj(mixed)


class Embedding(nn.Module):
    """unet/Embedding.java: sinusoid(t) -> Dense -> SiLU -> Dense, plus a class table row."""

    def __init__(self, sinusoid_dim, dim, num_classes, time_scale):
        super().__init__()
        half = sinusoid_dim // 2
        self.register_buffer("freq", frequencies(half, time_scale).reshape(1, -1))
        self.time1 = dense(2 * half, dim)
        self.time2 = dense(dim, dim)
        self.num_classes = num_classes
        self.classes = None
        if num_classes > 0:
            self.classes = nn.Parameter(torch.randn(num_classes + 1, dim))

    def forward(self, t, labels):
        arg = t.reshape(-1, 1) * self.freq
        emb = self.time2(F.silu(self.time1(torch.cat([torch.sin(arg), torch.cos(arg)], dim=1))))
        if self.classes is None:
            return emb
        ids = torch.where(labels < 0, torch.full_like(labels, self.num_classes), labels)
        return emb + self.classes[ids]


class UNet(nn.Module):
    """unet/UNet.java, with the same level / skip bookkeeping; tensors are NCHW (PyTorch's default
    layout; --channels-last switches to NHWC, which TensorFlow uses)."""

    def __init__(self, side=28, channels=1, base=16, mult=(1, 2, 2), res_blocks=1, attn=(7,),
                 groups=8, num_classes=10, time_scale=1000.0):
        super().__init__()
        emb_dim = 4 * base
        self.embedding = Embedding(base + base % 2, emb_dim, num_classes, time_scale)
        self.conv_in = conv(channels, base, 3)
        skips, sides = [base], []
        ch = base
        self.down = nn.ModuleList()
        for i, m in enumerate(mult):
            sides.append(side)
            out = base * m
            level = nn.Module()
            level.blocks = nn.ModuleList()
            level.attn = nn.ModuleList()
            for _ in range(res_blocks):
                level.blocks.append(ResBlock(ch, out, emb_dim, groups))
                level.attn.append(Attention(out, groups) if side in attn else nn.Identity())
                ch = out
                skips.append(ch)
            level.resample = None
            if i < len(mult) - 1:
                level.resample = conv(ch, ch, 3, stride=2)
                side = (side + 1) // 2
                skips.append(ch)
            self.down.append(level)
        self.mid1 = ResBlock(ch, ch, emb_dim, groups)
        self.mid_attn = Attention(ch, groups) if side in attn else nn.Identity()
        self.mid2 = ResBlock(ch, ch, emb_dim, groups)
        self.up = nn.ModuleList()
        for i in reversed(range(len(mult))):
            out = base * mult[i]
            level = nn.Module()
            level.blocks = nn.ModuleList()
            level.attn = nn.ModuleList()
            for _ in range(res_blocks + 1):
                level.blocks.append(ResBlock(ch + skips.pop(), out, emb_dim, groups))
                level.attn.append(Attention(out, groups) if sides[i] in attn else nn.Identity())
                ch = out
            level.resample = conv(ch, ch, 3) if i > 0 else None
            level.target = sides[i - 1] if i > 0 else None
            self.up.append(level)
        self.norm_out = nn.GroupNorm(groups, ch, eps=1e-5)
        self.conv_out = conv(ch, channels, 3, gain=0.0)

    def forward(self, x, t, labels):
        emb = F.silu(self.embedding(t, labels))
        h = self.conv_in(x)
        skips = [h]
        for level in self.down:
            for block, attn in zip(level.blocks, level.attn):
                h = attn(block(h, emb))
                skips.append(h)
            if level.resample is not None:
                h = level.resample(h)
                skips.append(h)
        h = self.mid2(self.mid_attn(self.mid1(h, emb)), emb)
        for level in self.up:
            for block, attn in zip(level.blocks, level.attn):
                h = attn(block(torch.cat([h, skips.pop()], dim=1), emb))
            if level.resample is not None:
                h = level.resample(F.interpolate(h, size=(level.target, level.target), mode="nearest"))
        return self.conv_out(F.silu(self.norm_out(h)))


# ----------------------------------------------------------------------------------------------
# Data, paths and schedules

def two_moons(n, gen):
    """Toy2d.TWO_MOONS: upper / lower arc, noise s.d. 0.05, standardised."""
    a = torch.rand(n, generator=gen) * math.pi
    upper = torch.rand(n, generator=gen) < 0.5
    x = torch.where(upper, torch.cos(a), 1 - torch.cos(a))
    y = torch.where(upper, torch.sin(a), 0.5 - torch.sin(a))
    pts = torch.stack([x, y], dim=1) + 0.05 * torch.randn(n, 2, generator=gen)
    sx = math.sqrt(0.75 + 0.05 ** 2)
    sy = math.sqrt(9 / 16 - 1 / math.pi + 0.05 ** 2)
    return (pts - torch.tensor([0.5, 0.25])) / torch.tensor([sx, sy])


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        raw = f.read()
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(rank)]
    data = torch.frombuffer(bytearray(raw[4 + 4 * rank:]), dtype=torch.uint8)
    return data.reshape(dims)


def fashion_mnist(directory):
    """The 60,000 training images as [N, 1, 28, 28] float32 in [-1, 1], and their labels."""
    def find(name):
        for p in (os.path.join(directory, name + ".gz"), os.path.join(directory, name)):
            if os.path.isfile(p):
                return p
        return None
    xs, ys = find("train-images-idx3-ubyte"), find("train-labels-idx1-ubyte")
    if xs is None or ys is None:
        return None
    images = read_idx(xs).to(torch.float32).div_(127.5).sub_(1.0).unsqueeze(1).contiguous()
    labels = read_idx(ys).to(torch.int64)
    return images, labels


def vp_cosine(t, s=0.008):
    """alpha(t) = cos(theta(t)) / cos(theta(0)), sigma = sqrt(1 - alpha^2) (the clip near t = 1 is
    left out: it changes two numbers, not the work)."""
    theta = (t + s) / (1 + s) * (math.pi / 2)
    alpha = torch.cos(theta) / math.cos(s / (1 + s) * math.pi / 2)
    alpha = alpha.clamp(min=1.7e-4, max=1.0)
    return alpha, torch.sqrt(1 - alpha * alpha)


def learning_rate(k, lr, warmup, cosine, steps, min_lr=0.0):
    """TrainingOptions.learningRate."""
    if warmup > 0 and k < warmup:
        return lr * (k + 1.0) / warmup
    if not cosine:
        return lr
    span = steps - 1 - warmup
    progress = 1.0 if span <= 0 else min(1.0, (k - warmup) / span)
    return min_lr + 0.5 * (lr - min_lr) * (1 + math.cos(math.pi * progress))


# ----------------------------------------------------------------------------------------------
# The training step and its timing

class Step:
    def __init__(self, model, batch_fn, lr, warmup, cosine, total_steps, clip_norm, ema, foreach):
        self.model = model
        self.batch_fn = batch_fn
        self.params = [p for p in model.parameters() if p.requires_grad]
        kwargs = {} if foreach is None else {"foreach": foreach}
        self.opt = torch.optim.Adam(self.params, lr=lr, betas=(0.9, 0.999), eps=1e-8, **kwargs)
        self.ema = [p.detach().clone() for p in self.params] if ema > 0 else None
        self.ema_decay = ema
        self.lr, self.warmup, self.cosine, self.total = lr, warmup, cosine, total_steps
        self.clip_norm = clip_norm
        self.k = 0

    def __call__(self):
        k = self.k
        loss = self.batch_fn(self.model)
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        if self.clip_norm > 0:
            torch.nn.utils.clip_grad_norm_(self.params, self.clip_norm)
        for g in self.opt.param_groups:
            g["lr"] = learning_rate(k, self.lr, self.warmup, self.cosine, self.total)
        self.opt.step()
        if self.ema is not None:
            d = 0.0 if k == 0 else min(self.ema_decay, (1.0 + k) / (10.0 + k))
            with torch.no_grad():
                torch._foreach_mul_(self.ema, d)
                torch._foreach_add_(self.ema, self.params, alpha=1.0 - d)
        self.k += 1
        return loss.item()


def mlp_batch(batch, gen, device):
    def fn(model):
        x0 = two_moons(batch, gen)
        eps = torch.randn(batch, 2, generator=gen)
        t = torch.rand(batch, 1, generator=gen)
        weight = torch.ones(batch)
        xt = (1 - t) * x0 + t * eps          # rectified flow: alpha = 1 - t, sigma = t
        target = eps - x0                    # alpha' x0 + sigma' eps
        xt, t, target, weight = (v.to(device) for v in (xt, t, target, weight))
        out = model(xt, t)
        return (((out - target) ** 2).mean(dim=1) * weight).mean()
    return fn


def unet_batch(batch, gen, data, p_uncond, null_class, device, channels_last=False):
    images, labels = data
    layout = torch.channels_last if channels_last else torch.contiguous_format

    def fn(model):
        idx = torch.randint(0, images.shape[0], (batch,), generator=gen)
        x0 = images[idx].contiguous(memory_format=layout)
        y = labels[idx]
        y = torch.where(torch.rand(batch, generator=gen) < p_uncond, torch.full_like(y, null_class), y)
        eps = torch.randn(x0.shape, generator=gen).contiguous(memory_format=layout)
        t = torch.rand(batch, generator=gen)
        alpha, sigma = vp_cosine(t)
        weight = torch.ones(batch)
        xt = alpha.view(-1, 1, 1, 1) * x0 + sigma.view(-1, 1, 1, 1) * eps
        xt, t, y, eps, weight = (v.to(device) for v in (xt, t, y, eps, weight))
        out = model(xt, t, y)
        return (((out - eps) ** 2).mean(dim=(1, 2, 3)) * weight).mean()
    return fn


def time_steps(step, warmup, steps):
    for _ in range(warmup):
        step()
    ms = []
    loss = None
    for _ in range(steps):
        t0 = time.perf_counter()
        loss = step()
        ms.append((time.perf_counter() - t0) * 1000)
    return {
        "median_ms": round(statistics.median(ms), 3),
        "mean_ms": round(statistics.fmean(ms), 3),
        "min_ms": round(min(ms), 3),
        "max_ms": round(max(ms), 3),
        "timed_steps": steps,
        "warmup_steps": warmup,
        "last_loss": round(loss, 5),
    }


def profile(step, steps, name):
    """Self CPU time by op over `steps` more steps (the op's time on the calling thread; an op's own
    OpenMP threads run inside it), printed to stderr."""
    if steps <= 0:
        return
    with torch.autograd.profiler.profile() as p:
        for _ in range(steps):
            step()
    print(f"{name}: {steps} profiled steps (totals below are for all of them)", file=sys.stderr)
    print(p.key_averages().table(sort_by="self_cpu_time_total", row_limit=20), file=sys.stderr)


def count(model):
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", choices=["mlp", "unet", "all"], default="all")
    ap.add_argument("--steps", type=int, default=20, help="timed steps (default 20)")
    ap.add_argument("--warmup", type=int, default=5, help="untimed steps first (default 5)")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    ap.add_argument("--mlp-batch", type=int, default=1024)
    ap.add_argument("--unet-batch", type=int, default=128)
    ap.add_argument("--clip-norm", type=float, default=0.0, help="global-norm clipping (0 = none, as the manifests)")
    ap.add_argument("--adam-foreach", choices=["default", "on", "off"], default="default",
                    help="torch.optim.Adam's foreach implementation (default: PyTorch's default)")
    ap.add_argument("--channels-last", action="store_true",
                    help="U-Net in NHWC memory layout (torch.channels_last), TensorFlow's layout; default NCHW")
    ap.add_argument("--data", default=FASHION_DIR, help="Fashion-MNIST IDX folder")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", type=int, default=0, metavar="STEPS",
                    help="after the timed steps, run STEPS more under torch.autograd.profiler and print its table "
                         "(self CPU time by op) to stderr")
    ap.add_argument("--device", default="cpu",
                    help="cpu (default) or cuda: the batch is made on the CPU and copied, as Diffuse4J feeds it")
    a = ap.parse_args()
    device = torch.device(a.device)

    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    gen = torch.Generator().manual_seed(a.seed)
    foreach = {"default": None, "on": True, "off": False}[a.adam_foreach]
    blas = os.environ.get("LD_LIBRARY_PATH", "")
    result = {
        "torch": torch.__version__,
        "python": sys.version.split()[0],
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "blas_note": "LD_LIBRARY_PATH=" + blas if blas else "system libblas.so.3",
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", "unset"),
        "adam_foreach": a.adam_foreach,
        "device": str(device),
        "models": {},
    }
    if a.model in ("mlp", "all"):
        model = Mlp().to(device)
        step = Step(model, mlp_batch(a.mlp_batch, gen, device), lr=2e-3, warmup=100, cosine=False,
                    total_steps=5000, clip_norm=a.clip_norm, ema=0.999, foreach=foreach)
        r = {"network": "mlp 3x256 silu, time embedding 32", "batch": a.mlp_batch, "parameters": count(model)}
        r.update(time_steps(step, a.warmup, a.steps))
        result["models"]["mlp"] = r
        profile(step, a.profile, "mlp")
    if a.model in ("unet", "all"):
        data = fashion_mnist(a.data)
        synthetic = data is None
        if synthetic:
            print(f"torch_train_step.py: no Fashion-MNIST in {a.data} (sudo apt-get install dataset-fashion-mnist); "
                  "using random images of the same shape", file=sys.stderr)
            data = (torch.rand(60000, 1, 28, 28) * 2 - 1, torch.randint(0, 10, (60000,)))
        model = UNet().to(device)
        if a.channels_last:
            model = model.to(memory_format=torch.channels_last)
        step = Step(model, unet_batch(a.unet_batch, gen, data, 0.1, 10, device, a.channels_last), lr=2e-3,
                    warmup=200, cosine=True, total_steps=5000, clip_norm=a.clip_norm, ema=0.999, foreach=foreach)
        r = {"network": "unet base 16, mult [1,2,2], 1 res block, attention at 7, 10 classes",
             "batch": a.unet_batch, "parameters": count(model), "synthetic_data": synthetic,
             "layout": "NHWC (channels_last)" if a.channels_last else "NCHW"}
        r.update(time_steps(step, a.warmup, a.steps))
        result["models"]["unet"] = r
        profile(step, a.profile, "unet")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
