import Audio
import Checkpoints
import Foundation
@testable import Models
import TestSupport
import XCTest

final class SwiftF0Tests: XCTestCase {
    static func tracker(_ home: TemporaryDirectory) throws -> SwiftF0Tracker {
        let onnx = try SharedData.require("weights/swift-f0-0.3.0.onnx")
        let store = try ModelTestSupport.store(in: home)
        try store.importFile(onnx)
        return try SwiftF0.tracker(context: ModelContext(store: store, environment: ["MLWB_HOME": home.path]))
    }

    /// Acceptance: a synthesized sine sweep is tracked within 1 % of its true frequency over the voiced frames.
    func testTracksASineSweepWithinOnePercent() throws {
        let home = try TemporaryDirectory(prefix: "mlwb-f0")
        defer { home.remove() }
        let tracker = try Self.tracker(home)
        let (f0, f1, duration) = (100.0, 1000.0, 3.0)
        let clip = AudioClip.sweep(from: f0, to: f1, duration: duration, sampleRate: 16_000, spacing: .logarithmic)
        let frames = try tracker.track(clip)
        XCTAssertEqual(frames.count, 48_000 / 256)
        XCTAssertEqual(frames[1].time, 256.0 / 16_000, "frames at i·16 ms, as the swift-f0 package stamps them")
        func error(_ f: PitchFrame) -> Double {
            abs(f.frequency / AudioClip.sweepFrequency(at: f.time, from: f0, to: f1, duration: duration, spacing: .logarithmic) - 1)
        }
        let voiced = frames.filter(\.voiced)
        let strict = try tracker.track(clip, threshold: 0.9).filter(\.voiced)
        let worst = strict.map(error).max() ?? .infinity
        print("SwiftF0 sweep \(f0)→\(f1) Hz: \(strict.count)/\(frames.count) voiced at 0.9, worst error \(String(format: "%.4f", worst))")
        XCTAssertGreaterThanOrEqual(strict.count, 10)
        XCTAssertLessThan(worst, 0.01)
        // The default threshold (0.5) voices most of the sweep; its typical error stays well under 1 %.
        let loose = voiced.map(error).sorted()
        XCTAssertGreaterThan(loose.count, frames.count / 3)
        print("SwiftF0 sweep at threshold 0.5: \(loose.count) voiced, median error \(String(format: "%.4f", loose[loose.count / 2]))")
        XCTAssertLessThan(loose[loose.count / 2], 0.01)
    }

    /// Frequency limits unvoice frames outside them; other sample rates are resampled.
    func testLimitsAndResampling() throws {
        let home = try TemporaryDirectory(prefix: "mlwb-f0")
        defer { home.remove() }
        let tracker = try Self.tracker(home)
        let clip = AudioClip.sweep(from: 200, to: 800, duration: 2, sampleRate: 44_100, spacing: .logarithmic)
        let frames = try tracker.track(clip, fmin: 300, fmax: 600, threshold: 0.3)
        XCTAssertEqual(frames.count, 32_000 / 256)
        XCTAssertTrue(frames.filter(\.voiced).allSatisfy { $0.frequency >= 300 && $0.frequency <= 600 })
        XCTAssertGreaterThan(frames.filter(\.voiced).count, 5)
        XCTAssertEqual(try tracker.track(samples: []).count, 0)
        XCTAssertEqual(try tracker.track(samples: [Float](repeating: 0, count: 10)).count, 1)
    }

    /// Digital silence has confidence 0 everywhere (the network alone gives up to 0.79 there), and
    /// a tone after it is still found; the default threshold is the package's 0.5.
    func testDigitalSilenceHasNoConfidence() throws {
        let home = try TemporaryDirectory(prefix: "mlwb-f0")
        defer { home.remove() }
        let tracker = try Self.tracker(home)
        XCTAssertEqual(SwiftF0Tracker.defaultConfidenceThreshold, 0.5)
        let silence = [Float](repeating: 0, count: 16_000)
        let tone = (0..<16_000).map { Float(0.5 * sin(2 * Double.pi * 440 * Double($0) / 16_000)) }
        let frames = try tracker.track(samples: silence + tone)
        XCTAssertEqual(frames.count, 32_000 / 256)
        let quiet = frames.prefix(60)  // whole hops of silence (the network's window reaches into the tone near the end)
        XCTAssertEqual(quiet.map(\.confidence).max(), 0, "silent hops score 0")
        XCTAssertTrue(quiet.allSatisfy { !$0.voiced })
        let sung = frames.suffix(50).filter(\.voiced)
        XCTAssertGreaterThan(sung.count, 40)
        XCTAssertTrue(sung.allSatisfy { abs($0.frequency / 440 - 1) < 0.01 }, "\(sung.map(\.frequency))")
    }
}
