/// The PyTorch side of BeatNet's network benchmark, written to a temporary file and run with a Python that has
/// torch. It rebuilds BeatNet's `BDA` module from its published architecture (so the same state dict loads),
/// checks it on the shared synthetic reference when given, and times offline calls (zero LSTM state) on
/// FRAMES frames of random features, with THREADS threads.
/// Usage: python script.py WEIGHTS.pt FRAMES RUNS THREADS [REFERENCE_INPUT.npy REFERENCE_OUTPUT.npy]; prints one JSON line.
enum BeatNetBenchmarkScript {
    static let source = #"""
import json, sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

class BDA(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv1d(1, 2, 10)
        self.linear0 = nn.Linear(262, 150)
        self.lstm = nn.LSTM(150, 150, 2, batch_first=True)
        self.linear = nn.Linear(150, 3)
        self.hidden = torch.zeros(2, 1, 150)
        self.cell = torch.zeros(2, 1, 150)
    def forward(self, x):
        b, t, f = x.shape
        x = F.max_pool1d(F.relu(self.conv1(x.reshape(b * t, 1, f))), 2).reshape(b * t, -1)
        x = self.linear0(x).reshape(b, t, 150)
        x, (self.hidden, self.cell) = self.lstm(x, (self.hidden, self.cell))
        return self.linear(x).transpose(1, 2)

weights, frames, runs, threads = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
model = BDA()
model.load_state_dict(torch.load(weights))
model.eval()
result = {"torch": torch.__version__, "threads": torch.get_num_threads(), "frames": frames}
with torch.no_grad():
    if len(sys.argv) > 6:
        x = torch.from_numpy(np.load(sys.argv[5]))
        y = torch.softmax(model(x)[0], dim=0).numpy()
        result["reference_max_abs_diff"] = float(np.abs(y - np.load(sys.argv[6])).max())
    feats = torch.from_numpy(np.random.default_rng(1).random((1, frames, 272), dtype=np.float32))
    times = []
    for i in range(runs + 2):
        model.hidden.zero_(); model.cell.zero_()
        t0 = time.perf_counter()
        torch.softmax(model(feats)[0], dim=0)
        times.append(time.perf_counter() - t0)
times = sorted(times[2:])
result["network"] = times[len(times) // 2]
result["best"] = times[0]
print(json.dumps(result))
"""#
}
