import Audio
import XCTest

final class STFTTests: XCTestCase {
    func testFrameCountAndAxesMatchLibrosaCentredFrames() {
        let stft = STFT(fftSize: 512, hop: 128)
        XCTAssertEqual(stft.frameCount(for: 1000), 1 + 1000 / 128)
        let spec = stft.spectrogram(of: AudioClip(silenceOf: 1000, sampleRate: 16000))
        XCTAssertEqual(spec.frameCount, 8)
        XCTAssertEqual(spec.binCount, 257)
        XCTAssertEqual(spec.frameRate, 125)
        XCTAssertEqual(spec.frequency(ofBin: 32), 1000)
        XCTAssertEqual(spec.bin(ofFrequency: 1010), 32)
        XCTAssertEqual(spec.time(ofFrame: 2), 0.016)
        XCTAssertEqual(STFT(fftSize: 512, hop: 128, center: false).frameCount(for: 1000), 4)
    }

    func testA1kHzSinePeaksInTheRightBinInEveryFrame() {
        let clip = AudioClip.sine(frequency: 1000, duration: 0.25, sampleRate: 16000, amplitude: 0.5)
        let spec = STFT(fftSize: 1024, hop: 256).spectrogram(of: clip)
        XCTAssertEqual(spec.frameCount, 16)
        // Frames 2…13 lie wholly inside the signal (edge frames see reflected, phase-broken copies).
        for t in 2...13 {
            XCTAssertEqual(spec.peakBin(inFrame: t), 64, "frame \(t)")  // 1000 / (16000 / 1024)
        }
        // Hann window: a bin-centred sine of amplitude A gives A · N / 4 at its bin.
        XCTAssertEqual(spec[frame: 8, bin: 64], 0.5 * 1024 / 4, accuracy: 0.5)
    }

    func testEnergyIsConservedAcrossFrames() {
        // Parseval for one frame: the spectrum holds the energy of the windowed samples it was computed from.
        let clip = AudioClip.sweep(from: 100, to: 4000, duration: 0.1, sampleRate: 16000, amplitude: 0.5)
        let stft = STFT(fftSize: 256, hop: 64)
        let spec = stft.spectrogram(of: clip)
        let t = 10, start = t * 64 - 128
        let frame = (0..<256).map { Double(clip.samples[start + $0]) * Double(stft.window[$0]) }
        let timeEnergy = frame.reduce(0) { $0 + $1 * $1 }
        var spectral = 0.0
        for k in 0..<spec.binCount {
            let p = Double(spec[frame: t, bin: k]) * Double(spec[frame: t, bin: k])
            spectral += (k == 0 || k == 128) ? p : 2 * p
        }
        XCTAssertEqual(spectral / 256, timeEnergy, accuracy: timeEnergy * 1e-4)
    }

    func testReflectPaddingAtTheEdges() {
        // The first frame is centred on sample 0 with numpy "reflect" padding: x[2], x[1], x[0], x[1], x[2]…
        let x: [Float] = (0..<64).map { Float($0) / 64 }
        let stft = STFT(fftSize: 16, hop: 4)
        let spec = stft.spectrogram(of: x, sampleRate: 1000)
        var padded = [Float]()
        for i in -8..<8 { padded.append(x[abs(i)] * stft.window[i + 8]) }
        let expected = FFT(size: 16).magnitudes(padded)
        for k in 0..<9 { XCTAssertEqual(spec[frame: 0, bin: k], expected[k], accuracy: 1e-5) }
        // A signal shorter than half a frame still works (the reflection wraps).
        XCTAssertEqual(stft.spectrogram(of: [1, 0, -1], sampleRate: 1000).frameCount, 1)
    }
}

final class ParallelSTFTTests: XCTestCase {
    func testParallelFramesEqualSerialOnes() {
        let clip = AudioClip.sweep(from: 50, to: 3000, duration: 1.3, sampleRate: 11_025, amplitude: 0.4)
        let stft = STFT(fftSize: 1024, hop: 128)
        XCTAssertEqual(stft.spectrogram(of: clip.samples, sampleRate: 11_025, parallel: true),
                       stft.spectrogram(of: clip.samples, sampleRate: 11_025))
    }
}
