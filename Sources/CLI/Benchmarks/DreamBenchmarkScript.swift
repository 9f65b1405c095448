/// The PyTorch side of `mlwb bench dream`, written to a temporary file and run with a Python that has torch.
/// It rebuilds MobileNetV2 in torchvision's layout (so the same .pth loads) and times the same two operations.
/// Usage: python script.py WEIGHTS.pth|random RUNS_STEP RUNS_CLASSIFY THREADS; prints one JSON line.
enum DreamBenchmarkScript {
    static let source = #"""
import json, sys, time, resource
import torch
import torch.nn as nn

def conv_bn(cin, cout, k, stride=1, groups=1):
    return nn.Sequential(nn.Conv2d(cin, cout, k, stride, (k - 1) // 2, groups=groups, bias=False),
                         nn.BatchNorm2d(cout), nn.ReLU6())

class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        layers = [] if expand == 1 else [conv_bn(cin, hidden, 1)]
        layers += [conv_bn(hidden, hidden, 3, stride, hidden), nn.Conv2d(hidden, cout, 1, bias=False), nn.BatchNorm2d(cout)]
        self.conv = nn.Sequential(*layers)
        self.skip = stride == 1 and cin == cout
    def forward(self, x):
        return x + self.conv(x) if self.skip else self.conv(x)

class MobileNetV2(nn.Module):
    def __init__(self):
        super().__init__()
        blocks, cin = [conv_bn(3, 32, 3, 2)], 32
        for t, c, n, s in [(1, 16, 1, 1), (6, 24, 2, 2), (6, 32, 3, 2), (6, 64, 4, 2), (6, 96, 3, 1), (6, 160, 3, 2), (6, 320, 1, 1)]:
            for i in range(n):
                blocks.append(InvertedResidual(cin, c, s if i == 0 else 1, t))
                cin = c
        blocks.append(conv_bn(320, 1280, 1))
        self.features = nn.Sequential(*blocks)
        self.classifier = nn.Sequential(nn.Dropout(0.2), nn.Linear(1280, 1000))
    def forward(self, x):
        return self.classifier(self.features(x).mean((2, 3)))

def median(times):
    return sorted(times)[len(times) // 2]

weights, runs_step, runs_cls, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
net = MobileNetV2().eval()
if weights != "random":
    net.load_state_dict(torch.load(weights, map_location="cpu", weights_only=True))
for p in net.parameters():
    p.requires_grad_(False)
upto14 = net.features[:15]

def step():
    x = torch.rand(1, 3, 512, 512, requires_grad=True)
    y = upto14(x)
    (y * y).sum().backward()
    return x.grad

def classify():
    with torch.no_grad():
        return net(torch.rand(1, 3, 224, 224)).softmax(1)

def timed(fn, runs, warmup):
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(runs):
        t0 = time.perf_counter(); fn(); out.append(time.perf_counter() - t0)
    return median(out)

t_step = timed(step, runs_step, 1)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
t_cls = timed(classify, runs_cls, 3)
print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "step": t_step,
                  "classify": t_cls, "peak_rss_step": peak}))
"""#
}
