import Audio
import Checkpoints
import Engine
import Foundation
@testable import Models
import XCTest

/// BeatNet's features from its documented parameters (no madmom reference exists, so the properties are checked).
final class BeatNetFeaturesTests: XCTestCase {
    func testSizesMatchTheNetwork() {
        XCTAssertEqual(BeatNetFeatures.bandCount, 136, "BDA(272, …) implies 136 bands")
        XCTAssertEqual(BeatNetFeatures.featureCount, BeatNetNetwork.featureCount)
        XCTAssertEqual(BeatNetFeatures.filterbank.binCount, 705)
        XCTAssertEqual(BeatNetFeatures.filterbank.edgeBins.first, 2)
        XCTAssertEqual(BeatNetFeatures.filterbank.edgeBins.last, 704)
        XCTAssertEqual(BeatNetFeatures.differenceFrames(), 1)
        XCTAssertEqual(BeatNetFeatures.frameSize, 1411)
        XCTAssertEqual(BeatNetFeatures.hopSize, 441)
    }

    func testFrameCountAndTiming() {
        XCTAssertEqual(BeatNetFeatures.frameCount(sampleCount: 0), 0)
        XCTAssertEqual(BeatNetFeatures.frameCount(sampleCount: 1), 1)
        XCTAssertEqual(BeatNetFeatures.frameCount(sampleCount: 441), 1)
        XCTAssertEqual(BeatNetFeatures.frameCount(sampleCount: 442), 2)
        XCTAssertEqual(BeatNetFeatures.frameCount(sampleCount: 22_050 * 30), 1500)
        XCTAssertEqual(BeatNetFeatures.frameTime(50), 1.0, accuracy: 1e-12)
        XCTAssertEqual(BeatNetFeatures.compute(samples: []).shape, [0, 272])
        XCTAssertEqual(BeatNetFeatures.compute(samples: [Float](repeating: 0, count: 6615)).shape, [15, 272])   // 0.3 s
    }

    /// The 17 × 83 prime-factor transform equals a direct DFT.
    func testPrimeFactorDFTMatchesDirectDFT() {
        let dft = PrimeFactorDFT(n1: 17, n2: 83)
        var rng = SystemRandomNumberGenerator()
        let frames = (0..<3).map { _ in (0..<1411).map { _ in Float.random(in: -1...1, using: &rng) } }
        var out = [Float](repeating: 0, count: 3 * 705)
        out.withUnsafeMutableBufferPointer { o in
            dft.magnitudes(frames: 3, output: o.baseAddress!, block: 2) { f, p in for n in 0..<1411 { p[n] = frames[f][n] } }
        }
        var worst = 0.0
        for f in 0..<3 {
            for k in [0, 1, 2, 17, 41, 42, 83, 100, 352, 703, 704] {
                var re = 0.0, im = 0.0
                for n in 0..<1411 {
                    let a = 2 * Double.pi * Double(n * k % 1411) / 1411
                    re += Double(frames[f][n]) * cos(a); im -= Double(frames[f][n]) * sin(a)
                }
                worst = max(worst, abs(Double(out[f * 705 + k]) - (re * re + im * im).squareRoot()))
            }
        }
        XCTAssertLessThan(worst, 2e-3, "magnitudes of sums of 1411 terms of ±1")
    }

    func testSilenceGivesZeros() {
        let x = BeatNetFeatures.compute(samples: [Float](repeating: 0, count: 22_050))
        XCTAssertEqual(x.shape, [50, 272])
        XCTAssertEqual(x.scalars.max(), 0)
    }

    /// A steady tone peaks in the band centred nearest its bin, and its difference is zero once it is steady.
    func testPureToneLandsInItsBand() {
        let fb = BeatNetFeatures.filterbank
        for hz in [220.0, 1000.0, 3150.0, 7000.0] {
            let samples = (0..<22_050).map { Float(0.5 * sin(2 * Double.pi * hz * Double($0) / 22_050)) }
            let x = BeatNetFeatures.compute(samples: samples)
            let row = (0..<136).map { x[25, $0] }
            let band = row.indices.max { row[$0] < row[$1] }!
            // The physical bin of the tone in a 1411-point DFT, against the band's centre bin.
            let bin = hz * 1411 / 22_050
            let nearest = (0..<136).min { abs(Double(fb.edgeBins[$0 + 1]) - bin) < abs(Double(fb.edgeBins[$1 + 1]) - bin) }!
            XCTAssertEqual(band, nearest, "\(hz) Hz (bin \(bin)) → band \(band) centred on bin \(fb.edgeBins[band + 1])")
            for b in 0..<136 { XCTAssertEqual(x[25, 136 + b], 0, accuracy: 1e-4, "steady tone, frame 25, diff band \(b)") }
        }
    }

    /// An impulse is strongest in the frame centred on it; the positive difference rises there and is never negative.
    func testImpulseTimingAndPositiveDifference() {
        var samples = [Float](repeating: 0, count: 22_050)
        samples[441 * 20 + 30] = 1
        let x = BeatNetFeatures.compute(samples: samples)
        func energy(_ f: Int) -> Float { (0..<136).reduce(0) { $0 + x[f, $1] } }
        let loudest = (0..<50).max { energy($0) < energy($1) }!
        XCTAssertEqual(loudest, 20)
        // Frames 19…21 are centred within 705 samples of it (the half window); 18 and 22 are not.
        for f in 19...21 { XCTAssertGreaterThan(energy(f), 0, "frame \(f)") }
        XCTAssertEqual(energy(18), 0)
        XCTAssertEqual(energy(22), 0)
        XCTAssertTrue(x.scalars.allSatisfy { $0 >= 0 })
        for b in 0..<136 { XCTAssertEqual(x[0, 136 + b], 0) }
        XCTAssertGreaterThan((0..<136).reduce(0) { $0 + x[19, 136 + $1] }, 0, "the onset frame's difference")
    }

    /// Stereo and other rates go through the mono mixdown and the resampler to 22,050 Hz.
    func testStereo48kClip() {
        let n = 48_000
        let left = (0..<n).map { Float(0.3 * sin(2 * Double.pi * 440 * Double($0) / 48_000)) }
        let clip = AudioClip(sampleRate: 48_000, channels: [left, left])
        let x = BeatNetFeatures.compute(clip)
        XCTAssertEqual(x.shape, [50, 272])
        XCTAssertTrue(x.scalars.allSatisfy { $0.isFinite })
    }
}

extension BeatNetFeaturesTests {
    /// Against an independent numpy implementation of the same pipeline (numpy's float64 FFT; see
    /// Fixtures/make_beatnet_features.py) on 2 s of tones, clicks and noise.
    func testMatchesAnIndependentNumpyImplementation() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let input = try NumpyArray.read(path: fixtures.appendingPathComponent("beatnet-features-input.npy").path)
        let expected = try NumpyArray.read(path: fixtures.appendingPathComponent("beatnet-features-expected.npy").path)
        let got = BeatNetFeatures.compute(samples: input.floats)
        XCTAssertEqual(got.shape, expected.shape)
        var worst: Float = 0
        for (a, b) in zip(got.scalars, expected.floats) { worst = max(worst, abs(a - b)) }
        print("BeatNet features vs numpy: max |Δ| = \(worst)")
        XCTAssertLessThan(worst, 2e-5)
    }

    /// The vectorised log10(1 + x) against Foundation's, over many magnitudes.
    func testLogOnePlusMatchesFoundation() {
        var values: [Float] = [0, 1e-7, 1e-4, 0.01, 0.4142, 0.5, 1, 2, 3.999, 10, 123.4, 1e4, 3e7]
        for i in 0..<500 { values.append(Float(i) * 0.013 + Float(i * i) * 1e-4) }
        var got = values
        got.withUnsafeMutableBufferPointer { BeatNetFeatures.log10OnePlus($0.baseAddress!, count: $0.count) }
        for (x, y) in zip(values, got) {
            let expected = log10(1 + x)
            XCTAssertEqual(y, expected, accuracy: 2e-7 + 4e-7 * abs(expected), "log10(1 + \(x))")
        }
    }
}
