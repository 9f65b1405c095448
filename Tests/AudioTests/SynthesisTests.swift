import Audio
import XCTest

final class SynthesisTests: XCTestCase {
    func testSineHasTheRequestedFrequencyAndLength() {
        let clip = AudioClip.sine(frequency: 441, duration: 0.5, sampleRate: 44100, amplitude: 0.3)
        XCTAssertEqual(clip.frameCount, 22050)
        XCTAssertEqual(clip.peak, 0.3, accuracy: 1e-4)
        XCTAssertEqual(sineAmplitude(clip.samples[...], frequency: 441, sampleRate: 44100), 0.3, accuracy: 1e-4)
    }

    func testSweepsReachTheirFrequencies() {
        // Count zero crossings over the last 10 ms to estimate the final frequency.
        func endFrequency(_ clip: AudioClip) -> Double {
            let tail = clip.samples.suffix(441)
            var crossings = 0
            for (a, b) in zip(tail, tail.dropFirst()) where (a < 0) != (b < 0) { crossings += 1 }
            return Double(crossings) / 2 / 0.01
        }
        let linear = AudioClip.sweep(from: 100, to: 4000, duration: 0.5, sampleRate: 44100)
        XCTAssertEqual(endFrequency(linear), 4000, accuracy: 200)
        let log = AudioClip.sweep(from: 100, to: 4000, duration: 0.5, sampleRate: 44100, spacing: .logarithmic)
        XCTAssertEqual(endFrequency(log), 4000, accuracy: 200)
        XCTAssertEqual(AudioClip.sweepFrequency(at: 0.25, from: 100, to: 6400, duration: 0.5, spacing: .logarithmic), 800, accuracy: 1e-9)
        XCTAssertEqual(linear.peak, 0.5, accuracy: 1e-3)
    }

    func testNotesStartOnTimeAtThePitchAndFitInFullScale() {
        let clip = AudioClip.notes([(pitch: 69, start: 0.1, end: 0.3, velocity: 100),
                                    (pitch: 81, start: 0.2, end: 0.4, velocity: 50)], sampleRate: 16000)
        XCTAssertEqual(clip.duration, 0.5, accuracy: 1e-9)  // last end + release
        XCTAssertLessThanOrEqual(clip.peak, 0.9)
        XCTAssertEqual(clip.slice(from: 0, to: 0.099).peak, 0, "silence before the first note")
        XCTAssertGreaterThan(clip.slice(from: 0.1, to: 0.2).rms, 0.02)
        // Between 0.1 and 0.2 s only A4 sounds: the spectrum peaks at 440 Hz.
        let spec = STFT(fftSize: 1024, hop: 256).spectrogram(of: clip.slice(from: 0.1, to: 0.2))
        let peak = spec.frequency(ofBin: spec.peakBin(inFrame: spec.frameCount / 2))
        XCTAssertEqual(peak, 440, accuracy: 16)
        // After the release the clip is silent.
        XCTAssertEqual(clip.slice(from: 0.499, to: 0.5).peak, 0, accuracy: 1e-3)
    }
}
