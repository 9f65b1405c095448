import Audio
import Media
@testable import Models
import XCTest

/// The NNLS chroma on synthetic notes whose pitch classes are known.
final class NNLSChromaTests: XCTestCase {
    /// Mean chroma over the middle of the clip (away from onset and release).
    func meanChroma(_ frames: NNLSChroma.Frames, _ values: [Float], from: Double, to: Double) -> [Float] {
        var sum = [Float](repeating: 0, count: 12)
        for t in 0..<frames.frameCount where frames.time(ofFrame: t) >= from && frames.time(ofFrame: t) <= to {
            for pc in 0..<12 { sum[pc] += values[t * 12 + pc] }
        }
        return sum
    }

    func top(_ chroma: [Float], _ count: Int) -> Set<Int> {
        Set(chroma.indices.sorted { chroma[$0] > chroma[$1] }.prefix(count))
    }

    func testATriadOverABassNoteGivesItsPitchClasses() {
        // C2 in the bass, E3 G3 C4 above: treble C E G, bass C.
        let notes: [(pitch: Int, start: Double, end: Double, velocity: Int)] = [(36, 0, 3, 100), (52, 0, 3, 90), (55, 0, 3, 90), (60, 0, 3, 90)]
        let frames = NNLSChroma.analyse(AudioClip.notes(notes, sampleRate: 22_050))
        XCTAssertEqual(frames.frameCount, 1 + Int(3.1 * 11_025) / NNLSChroma.hop)
        XCTAssertEqual(top(meanChroma(frames, frames.treble, from: 0.5, to: 2.5), 3), [0, 4, 7])
        let bass = meanChroma(frames, frames.bass, from: 0.5, to: 2.5)
        XCTAssertEqual(bass.indices.max { bass[$0] < bass[$1] }, 0)
        XCTAssertEqual(frames.tuning, 0, accuracy: 0.05)
    }

    func testEstimatesTheTuning() {
        // Harmonic tones 30 cents sharp.
        let cents = 0.3
        var samples = [Float](repeating: 0, count: 44_100 * 2)
        for pitch in [57, 64, 69] {
            let f0 = 440 * pow(2, (Double(pitch) + cents - 69) / 12)
            for (i, _) in samples.enumerated() {
                let t = Double(i) / 44_100
                var v = 0.0
                for k in 1...5 { v += sin(2 * Double.pi * Double(k) * f0 * t) / Double(k * k) }
                samples[i] += Float(0.1 * v)
            }
        }
        let frames = NNLSChroma.analyse(AudioClip(sampleRate: 44_100, mono: samples))
        XCTAssertEqual(frames.tuning, cents, accuracy: 0.05)
        // The tuned axis still puts A, E in the chroma.
        XCTAssertEqual(top(meanChroma(frames, frames.treble, from: 0.5, to: 1.5), 2), [9, 4])
        let untuned = NNLSChroma.analyse(AudioClip(sampleRate: 44_100, mono: samples), settings: NNLSChroma.Settings(estimateTuning: false))
        XCTAssertEqual(untuned.tuning, 0)
    }

    func testLevelsAndFlatnessSeparateSilenceToneAndNoise() {
        var rng = SeededGenerator(seed: 3)
        let noise = (0..<22_050).map { _ in Float.random(in: -0.5...0.5, using: &rng) }
        let n = NNLSChroma.analyse(AudioClip(sampleRate: 22_050, mono: noise))
        XCTAssertEqual(n.flatness[n.frameCount / 2], 0.56, accuracy: 0.1)
        let tone = NNLSChroma.analyse(AudioClip.notes([(60, 0, 1, 100), (64, 0, 1, 100)], sampleRate: 22_050))
        XCTAssertLessThan(tone.flatness[tone.frameCount / 2], 0.05)
        let silence = NNLSChroma.analyse(AudioClip(silenceOf: 22_050, sampleRate: 22_050))
        XCTAssertTrue(silence.levels.allSatisfy { $0 == -200 })
        XCTAssertTrue(silence.treble.allSatisfy { $0 == 0 })
        let empty = NNLSChroma.analyse(AudioClip(sampleRate: 22_050, mono: []))
        XCTAssertEqual(empty.frameCount, 0)
    }

    func testAStopEndsTheAnalysisEarly() {
        let clip = AudioClip.notes([(48, 0, 2, 100), (64, 0, 2, 100)], sampleRate: 11_025)
        let stopped = NNLSChroma.analyse(clip, shouldStop: { true })
        XCTAssertEqual(stopped.frameCount, NNLSChroma.analyse(clip).frameCount)
        XCTAssertTrue(stopped.treble.allSatisfy { $0 == 0 }, "no frame was transcribed")
        let flag = NNLSChroma.StopFlag()
        XCTAssertFalse(flag.isSet)
        flag.set()
        XCTAssertTrue(flag.isSet)
    }

    func testWhiteningStandardisesAndClipsAtTheMean() {
        var out = [Float](repeating: -1, count: 5)
        NNLSChroma.whiten([0, 0, 5, 0, 0], into: &out, window: 4, exponent: 1)
        XCTAssertEqual(out[0], 0)
        XCTAssertGreaterThan(out[2], 1)
        var flat = [Float](repeating: -1, count: 4)
        NNLSChroma.whiten([2, 2, 2, 2], into: &flat, window: 2, exponent: 1)
        XCTAssertEqual(flat, [0, 0, 0, 0])
    }

    func testProfilesWeighTheRegisters() {
        XCTAssertEqual(NNLSChroma.bassWeight(36), 1)
        XCTAssertEqual(NNLSChroma.bassWeight(60), 0)
        XCTAssertEqual(NNLSChroma.trebleWeight(60), 1)
        XCTAssertEqual(NNLSChroma.trebleWeight(36), 0)
        XCTAssertEqual(NNLSChroma.trebleWeight(90), 0)
        XCTAssertGreaterThan(NNLSChroma.trebleWeight(44), 0)
        XCTAssertLessThan(NNLSChroma.trebleWeight(44), 1)
    }
}
