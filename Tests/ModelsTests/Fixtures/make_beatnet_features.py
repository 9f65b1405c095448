# An independent numpy implementation of BeatNet's features, written for mlwb's tests from the parameters
# in ../shared/references/beatnet.md (madmom's documented pipeline, no madmom code): numpy's FFT in
# float64 against mlwb's 17x83 prime-factor transform in float32.
# Writes beatnet-features-input.npy (2 s of a deterministic test signal at 22,050 Hz, float32) and
# beatnet-features-expected.npy ([100, 272] float32).  Usage: python3 make_beatnet_features.py (numpy 2.x)
import numpy as np

sr, size, hop = 22050, 1411, 441
rng = np.random.default_rng(7)
n = 2 * sr
t = np.arange(n) / sr
x = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.2 * np.sin(2 * np.pi * 1750 * t) * (t > 0.8)
for start in range(0, n, sr // 4):                       # clicks every 0.25 s
    k = np.arange(min(800, n - start))
    x[start:start + len(k)] += 0.5 * np.exp(-k / 150) * np.sin(2 * np.pi * 3000 * k / sr)
x += 0.01 * rng.standard_normal(n)
x = x.astype(np.float32)

frames = int(np.ceil(n / hop))
window = np.hanning(size)
spec = np.zeros((frames, size // 2))
for f in range(frames):
    first = f * hop - size // 2
    frame = np.zeros(size)
    lo, hi = max(0, -first), min(size, n - first)
    frame[lo:hi] = x[first + lo:first + hi]
    spec[f] = np.abs(np.fft.fft(frame * window))[:size // 2]

# Logarithmic filterbank: bins labelled k*sr/(2*705), 24 bands/octave from 440 Hz within 30..17000 Hz,
# nearest bins (ties up), unique, overlapping triangles normalised to sum 1.
bin_f = np.arange(size // 2) * sr / (2 * (size // 2))
k = np.arange(np.floor(np.log2(30 / 440) * 24), np.ceil(np.log2(17000 / 440) * 24))
freqs = 440 * 2.0 ** (k / 24)
freqs = freqs[(freqs >= 30) & (freqs <= 17000)]
idx = np.clip(np.searchsorted(bin_f, freqs), 1, len(bin_f) - 1)
idx = idx - ((freqs - bin_f[idx - 1]) < (bin_f[idx] - freqs))
bins = np.unique(idx)
fb = np.zeros((len(bin_f), len(bins) - 2))
for b in range(len(bins) - 2):
    start, centre, stop = bins[b], bins[b + 1], bins[b + 2]
    tri = np.concatenate([np.arange(centre - start) / (centre - start), 1 - np.arange(stop - centre) / (stop - centre)])
    fb[start:stop, b] = tri / tri.sum()

logspec = np.log10(1 + spec @ fb)
diff = np.zeros_like(logspec)
diff[1:] = np.maximum(logspec[1:] - logspec[:-1], 0)
features = np.hstack([logspec, diff]).astype(np.float32)
assert features.shape == (frames, 272), features.shape
np.save("beatnet-features-input.npy", x)
np.save("beatnet-features-expected.npy", features)
print(features.shape, float(features.max()))
