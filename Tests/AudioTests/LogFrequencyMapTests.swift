import Audio
import XCTest

/// The log-frequency map: bin centres on the tuned pitch axis, interpolation at the bottom, band sums
/// at the top, the image of a partial, and the tuning read from the semitone circle.
final class LogFrequencyMapTests: XCTestCase {
    let map = LogFrequencyMap(fftSize: 4096, sampleRate: 11_025, lowestPitch: 27, binCount: 300, binsPerSemitone: 3)

    func testCentresFollowThePitchAxisAndStopBeforeNyquist() {
        XCTAssertEqual(map.frequency(ofBin: 3 * (69 - 27)), 440, accuracy: 1e-9)
        XCTAssertEqual(map.pitch(ofBin: 1), 27 + 1.0 / 3, accuracy: 1e-12)
        XCTAssertLessThan(map.binCount, 300)
        XCTAssertLessThan(map.frequency(ofBin: map.binCount - 1), 11_025.0 / 2)
        let sharp = LogFrequencyMap(fftSize: 4096, sampleRate: 11_025, lowestPitch: 27, binCount: 200, tuning: 0.25)
        XCTAssertEqual(sharp.frequency(ofBin: 3 * (69 - 27)), 440 * pow(2, 0.25 / 12), accuracy: 1e-9)
    }

    func testASinusoidLandsOnItsPitch() {
        for pitch in [33.0, 45, 60, 69, 84, 100] {
            let image = map.image(ofSinusoidAt: 440 * pow(2, (pitch - 69) / 12))
            let peak = image.indices.max { image[$0] < image[$1] }!
            XCTAssertEqual(map.pitch(ofBin: peak), pitch, accuracy: 1.0 / 3 + 1e-9, "pitch \(pitch)")
        }
    }

    func testLowBinsInterpolateHighBinsSum() {
        // A flat spectrum of ones: interpolation gives 1 at the bottom, band sums grow with the band.
        let flat = map.apply([Float](repeating: 1, count: 2049))
        XCTAssertEqual(flat[0], 1, accuracy: 1e-5)
        XCTAssertGreaterThan(flat[map.binCount - 1], 5)
        // Linear in the input.
        let twice = map.apply([Float](repeating: 2, count: 2049))
        for k in 0..<map.binCount { XCTAssertEqual(twice[k], 2 * flat[k], accuracy: 1e-4) }
    }

    func testTuningFromTheSemitoneCircle() {
        let fine = LogFrequencyMap(fftSize: 4096, sampleRate: 11_025, lowestPitch: 45, binCount: 48 * 9, binsPerSemitone: 9)
        for cents in [-40.0, -10, 0, 20, 45] {
            var spectrum = [Float](repeating: 0, count: 2049)
            for pitch in [57.0, 64, 69, 76] {
                let image = fineSpectrum(440 * pow(2, (pitch + cents / 100 - 69) / 12))
                for i in spectrum.indices { spectrum[i] += image[i] }
            }
            XCTAssertEqual(fine.tuning(of: fine.apply(spectrum)), cents / 100, accuracy: 0.04, "\(cents) cents")
        }
        XCTAssertEqual(fine.tuning(of: [Float](repeating: 0, count: fine.binCount)), 0)
    }

    /// DFT magnitudes of a Hann-windowed sinusoid (4096 samples at 11,025 Hz).
    func fineSpectrum(_ frequency: Double) -> [Float] {
        let samples = (0..<4096).map { Float(0.5 * sin(2 * Double.pi * frequency * Double($0) / 11_025)) }
        let window = STFT(fftSize: 4096).window
        return FFT(size: 4096).magnitudes(zip(samples, window).map { $0 * $1 })
    }
}
