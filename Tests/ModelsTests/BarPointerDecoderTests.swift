import Media
import XCTest
@testable import Models

/// The bar-pointer DBN on activations made to order: known beats, meters and tempo changes.
final class BarPointerDecoderTests: XCTestCase {
    /// Activations at 50 fps with a peak at every beat (downbeat peaks on beat 1), plus noise.
    static func activations(beats: [Double], meter: Int, duration: Double, noise: Float = 0.02, seed: UInt64 = 1) -> BeatActivations {
        let fps = 50.0
        let frames = Int(duration * fps)
        var rng = SeededGenerator(seed: seed)
        var beat = (0..<frames).map { _ in noise * rng.nextUnitFloat() }
        var down = (0..<frames).map { _ in noise * rng.nextUnitFloat() }
        for (i, t) in beats.enumerated() {
            let centre = t * fps
            for f in max(0, Int(centre) - 3)...min(frames - 1, Int(centre) + 3) {
                let v = Float(exp(-pow(Double(f) - centre, 2) / 2))
                if i % meter == 0 { down[f] = max(down[f], 0.9 * v) } else { beat[f] = max(beat[f], 0.9 * v) }
            }
        }
        return BeatActivations(fps: fps, beat: beat, downbeat: down)
    }

    func testSteadyFourFourIsFoundWithItsDownbeats() {
        let truth = stride(from: 1.0, to: 29.5, by: 0.5).map { $0 }
        let (beats, meter) = BarPointerDecoder().decode(Self.activations(beats: truth, meter: 4, duration: 30))
        XCTAssertEqual(meter, 4)
        XCTAssertGreaterThan(BeatEvaluation.fMeasure(truth, beats.map(\.time)), 0.98)
        let downbeats = beats.filter { $0.position == 1 }.map(\.time)
        XCTAssertGreaterThan(BeatEvaluation.fMeasure(stride(from: 0, to: truth.count, by: 4).map { truth[$0] }, downbeats), 0.95)
    }

    func testWaltzPicksThreeBeatsPerBar() {
        let truth = stride(from: 0.8, to: 26, by: 0.4).map { $0 }   // 150 BPM in 3/4
        let (beats, meter) = BarPointerDecoder().decode(Self.activations(beats: truth, meter: 3, duration: 27))
        XCTAssertEqual(meter, 3)
        XCTAssertGreaterThan(BeatEvaluation.fMeasure(truth, beats.map(\.time)), 0.98)
        XCTAssertEqual(beats.filter { $0.position == 1 }.count, truth.count / 3, accuracy: 1)
    }

    func testATempoStepIsFollowed() {
        var truth = stride(from: 1.0, to: 14, by: 0.6).map { $0 }   // 100 BPM, then 136 BPM
        var t = truth.last! + 60 / 136
        while t < 28 { truth.append(t); t += 60 / 136 }
        let (beats, _) = BarPointerDecoder().decode(Self.activations(beats: truth, meter: 4, duration: 28.5))
        XCTAssertGreaterThan(BeatEvaluation.fMeasure(truth, beats.map(\.time)), 0.95)
    }

    func testSilenceAndTinyInputsDoNotCrash() {
        let silent = BeatActivations(fps: 50, beat: [Float](repeating: 0, count: 500), downbeat: [Float](repeating: 0, count: 500))
        _ = BarPointerDecoder().decode(silent)
        XCTAssertTrue(BarPointerDecoder().decode(BeatActivations(fps: 50, beat: [0.5], downbeat: [0.1])).beats.isEmpty)
        XCTAssertTrue(BarPointerDecoder().decode(BeatActivations(fps: 50, beat: [], downbeat: [])).beats.isEmpty)
    }

    func testSettingsAreChecked() {
        var s = BarPointerDecoder.Settings()
        XCTAssertNil(s.problem)
        s.minBPM = 300
        XCTAssertNotNil(s.problem)
    }
}

extension BarPointerDecoderTests {
    func testOnlineDecodingFindsTheBeatsCausally() {
        let truth = stride(from: 1.0, to: 29.5, by: 0.5).map { $0 }
        let (beats, _) = BarPointerDecoder().decodeOnline(Self.activations(beats: truth, meter: 4, duration: 30))
        // A causal tracker needs a few beats to lock on; after that it should hit nearly every beat.
        XCTAssertGreaterThan(BeatEvaluation.fMeasure(truth.filter { $0 > 5 }, beats.map(\.time).filter { $0 > 5 }), 0.9)
    }
}
