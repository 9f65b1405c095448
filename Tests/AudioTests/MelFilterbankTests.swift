import Audio
import XCTest

final class MelFilterbankTests: XCTestCase {
    func testMelScalesAtKnownPoints() {
        // Slaney: 3 mel per 200 Hz up to 1 kHz (= 15 mel), then log-spaced with 27 mel per factor 6.4.
        XCTAssertEqual(MelFilterbank.melFromHz(200), 3, accuracy: 1e-12)
        XCTAssertEqual(MelFilterbank.melFromHz(1000), 15, accuracy: 1e-12)
        XCTAssertEqual(MelFilterbank.melFromHz(6400), 42, accuracy: 1e-9)
        XCTAssertEqual(MelFilterbank.hzFromMel(42), 6400, accuracy: 1e-6)
        XCTAssertEqual(MelFilterbank.melFromHz(700, scale: .htk), 2595 * log10(2), accuracy: 1e-9)
        for hz in [0.0, 55, 440, 999, 1000, 4000, 11025] {
            for scale in [MelFilterbank.Scale.slaney, .htk] {
                XCTAssertEqual(MelFilterbank.hzFromMel(MelFilterbank.melFromHz(hz, scale: scale), scale: scale), hz, accuracy: 1e-6)
            }
        }
    }

    func testShapeTrianglesAndSlaneyArea() {
        let bank = MelFilterbank(sampleRate: 22050, fftSize: 2048, bands: 128)
        XCTAssertEqual(bank.bandCount, 128)
        XCTAssertEqual(bank.binCount, 1025)
        XCTAssertEqual(bank.weights.count, 128 * 1025)
        XCTAssertEqual(bank.edges.count, 130)
        XCTAssertEqual(bank.edges.first!, 0)
        XCTAssertEqual(bank.edges.last!, 11025, accuracy: 1e-6)
        let binHz = 22050.0 / 2048
        for b in 0..<128 {
            let bins = bank.bins(ofBand: b)
            let row = (0..<1025).map { bank[band: b, bin: $0] }
            XCTAssertTrue(row.allSatisfy { $0 >= 0 })
            // Single peak: rises then falls.
            if bins.count >= 3 {
                let peak = bins.max { row[$0] < row[$1] }!
                for k in bins.lowerBound..<peak { XCTAssertLessThanOrEqual(row[k], row[k + 1]) }
                for k in peak..<(bins.upperBound - 1) { XCTAssertGreaterThanOrEqual(row[k], row[k + 1]) }
            }
            // Unit area in Hz wherever the triangle spans enough bins to integrate it.
            let width = bank.edges[b + 2] - bank.edges[b]
            if width > 20 * binHz {
                let area = row.reduce(0.0) { $0 + Double($1) } * binHz
                XCTAssertEqual(area, 1, accuracy: 0.05, "band \(b)")
            }
        }
        // Neighbouring triangles cross at half height when unnormalised, so their sum is flat inside.
        let flat = MelFilterbank(sampleRate: 22050, fftSize: 2048, bands: 40, fMin: 0, fMax: 8000, normalization: .none)
        for k in 50..<600 {
            let total = (0..<40).reduce(Float(0)) { $0 + flat[band: $1, bin: k] }
            XCTAssertEqual(total, 1, accuracy: 1e-4, "bin \(k)")
        }
    }

    func testHTKSpacingDiffersFromSlaney() {
        let slaney = MelFilterbank(sampleRate: 16000, fftSize: 512, bands: 40)
        let htk = MelFilterbank(sampleRate: 16000, fftSize: 512, bands: 40, scale: .htk)
        XCTAssertEqual(htk.centerFrequencies.count, 40)
        XCTAssertNotEqual(slaney.centerFrequencies[5], htk.centerFrequencies[5])
        let mels = htk.edges.map { MelFilterbank.melFromHz($0, scale: .htk) }
        for i in 1..<(mels.count - 1) { XCTAssertEqual(mels[i + 1] - mels[i], mels[1] - mels[0], accuracy: 1e-6) }
    }

    func testLogMelOfASineIsLoudestInItsBandAndFloored() {
        let clip = AudioClip.sine(frequency: 1000, duration: 0.25, sampleRate: 16000, amplitude: 0.5)
        let mel = STFT(fftSize: 1024, hop: 256).spectrogram(of: clip).logMel(bands: 64, topDB: 80)
        XCTAssertTrue(mel.isDecibels)
        XCTAssertEqual(mel.frameCount, 16)
        XCTAssertEqual(mel.bandCount, 64)
        XCTAssertEqual(mel.frameRate, 62.5)
        let frame = Array(mel.frame(8))
        let loudest = frame.indices.max { frame[$0] < frame[$1] }!
        let centre = mel.bandFrequencies[loudest]
        XCTAssertLessThan(abs(centre - 1000), 120, "loudest band centred at \(centre) Hz")
        let top = mel.values.max()!, bottom = mel.values.min()!
        XCTAssertEqual(top - bottom, 80, accuracy: 1e-3, "values floored at top_db below the peak")
        let relative = STFT(fftSize: 1024, hop: 256).spectrogram(of: clip).logMel(bands: 64, reference: .maximum, topDB: nil)
        XCTAssertEqual(relative.values.max()!, 0, accuracy: 1e-4)
    }
}
