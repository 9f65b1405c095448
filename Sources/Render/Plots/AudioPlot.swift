import Audio
import Media

/// Pictures of audio for the terminal: a waveform strip over a log-mel spectrogram.
public enum AudioPlot {
    /// Waveform (min/max per column, RMS brighter) drawn into `width × height` pixels, scaled so
    /// the loudest column fills the height (quiet recordings stay readable).
    public static func waveform(_ summary: WaveformSummary, width: Int, height: Int,
                                color: SIMD3<Float> = SIMD3(0.35, 0.75, 0.95),
                                background: SIMD3<Float> = SIMD3(0.04, 0.05, 0.08)) -> Image {
        var image = Image(width: max(0, width), height: max(0, height), fill: [background.x, background.y, background.z])
        let columns = summary.columns
        guard !columns.isEmpty, width > 0, height > 0 else { return image }
        // Only finite values set the scale; NaN draws nothing and ±∞ reach the picture's edge.
        let peak = columns.reduce(Float(0)) { result, c in
            [c.min, c.max].reduce(result) { $1.isFinite ? max($0, abs($1)) : $0 }
        }
        let center = Float(height - 1) / 2
        let scale = center / (peak > 0 ? peak : 1)  // pixels per unit of amplitude
        let middle = Int(center)
        /// The pixel row of `amplitude`, clamped into the picture (the centre for NaN).
        func row(_ amplitude: Float) -> Int {
            (center - amplitude * scale).roundedInt(clampedTo: 0...(height - 1)) ?? middle
        }
        image.pixels.withUnsafeMutableBufferPointer { px in
            for x in 0..<width {
                let c = columns[min(columns.count - 1, x * columns.count / width)]
                let top = row(c.max), bottom = row(c.min)
                let rmsTop = row(c.rms), rmsBottom = row(-c.rms)
                for y in min(top, bottom)...max(top, bottom) {
                    let inner = y >= rmsTop && y <= rmsBottom
                    let v = inner ? color : color * 0.55
                    let i = (y * width + x) * 3
                    px[i] = v.x; px[i + 1] = v.y; px[i + 2] = v.z
                }
            }
        }
        return image
    }

    /// A log-mel spectrogram (dB, low frequencies at the bottom) drawn into `width × height` pixels.
    public static func spectrogram(_ mel: MelSpectrogram, width: Int, height: Int, colormap: Colormap = .ember) -> Image {
        guard width > 0, height > 0 else { return Image(width: max(0, width), height: max(0, height)) }
        let db = mel.isDecibels ? mel : mel.decibels(reference: .maximum, topDB: 80)
        let lo = db.values.min() ?? 0, hi = db.values.max() ?? 1
        let range = max(hi - lo, 1e-6)
        // Area-average the (frames × bands) matrix into the picture; frames → x, bands → y (flipped).
        let grid = Resampling.resize(db.values, channels: 1, width: db.bandCount, height: db.frameCount,
                                     toWidth: height, toHeight: width, filter: .area)
        var image = Image(width: width, height: height)
        for x in 0..<width {
            for y in 0..<height {
                let v = (grid[x * height + (height - 1 - y)] - lo) / range
                let c = colormap.color(v)
                image.setPixel(x, y, SIMD4(c.x, c.y, c.z, 1))
            }
        }
        return image
    }

    /// Waveform on top (a quarter of the height) and log-mel spectrogram below, `width × height` pixels.
    public static func overview(_ clip: AudioClip, width: Int, height: Int) -> Image {
        guard width > 0, height > 0 else { return Image(width: max(0, width), height: max(0, height)) }
        let mono = clip.mono()
        let waveHeight = max(2, height / 4)
        let wave = waveform(WaveformSummary(mono, columns: width), width: width, height: waveHeight)
        let specHeight = max(1, height - waveHeight)
        let fftSize = mono.sampleRate >= 32000 ? 2048 : 1024
        let spectrum = STFT(fftSize: fftSize, hop: max(64, min(fftSize / 4, mono.frameCount / max(1, width * 2))))
            .spectrogram(of: mono)
        let mel = spectrum.logMel(bands: min(128, max(16, specHeight * 2)))
        let spec = spectrogram(mel, width: width, height: specHeight)
        var out = Image(width: width, height: waveHeight + specHeight)
        out.pixels.replaceSubrange(0..<wave.pixels.count, with: wave.pixels)
        out.pixels.replaceSubrange(wave.pixels.count..<out.pixels.count, with: spec.pixels)
        return out
    }
}
