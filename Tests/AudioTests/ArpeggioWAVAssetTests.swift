import Audio
import Foundation
import Media
import TestSupport
import XCTest

/// The committed asset `assets/audio/arpeggio.wav` and the code that makes it.
final class ArpeggioWAVAssetTests: XCTestCase {
    /// The asset's notes: C major arpeggio up and down, then a chord (times in seconds, velocity 90).
    static let notes: [(pitch: Int, start: Double, end: Double, velocity: Int)] = {
        var notes = [(pitch: Int, start: Double, end: Double, velocity: Int)]()
        for (i, pitch) in [60, 64, 67, 72, 67, 64, 60].enumerated() {
            let start = 0.1 + 0.35 * Double(i)
            notes.append((pitch, start, start + 0.35, 90))
        }
        for pitch in [48, 60, 64, 67] { notes.append((pitch, 2.6, 3.4, 90)) }
        return notes
    }()

    static let path = SharedData.asset("audio/arpeggio.wav")

    /// Rewrites the asset; runs only with MLWB_REGENERATE_ASSETS=1.
    func testRegenerateArpeggioAsset() throws {
        try XCTSkipUnless(ProcessInfo.processInfo.environment["MLWB_REGENERATE_ASSETS"] == "1",
                          "set MLWB_REGENERATE_ASSETS=1 to rewrite assets/audio/arpeggio.wav")
        let directory = (Self.path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let clip = AudioClip.notes(Self.notes, sampleRate: 22050)
        try AudioFile.save(clip, to: Self.path, format: .wav16)
    }

    func testCommittedAssetMatchesItsDescription() throws {
        let info = try AudioFile.info(Self.path)
        XCTAssertEqual(info.sampleRate, 22050)
        XCTAssertEqual(info.channelCount, 1)
        XCTAssertEqual(info.formatName, "WAV 16-bit PCM")
        XCTAssertEqual(info.duration, 3.5, accuracy: 1e-3)
        let clip = try AudioFile.load(Self.path)
        XCTAssertEqual(clip.slice(from: 0, to: 0.09).peak, 0, "silent before the first note at 0.1 s")
        XCTAssertGreaterThan(clip.slice(from: 2.6, to: 3.4).rms, clip.slice(from: 0.1, to: 0.45).rms, "the chord is louder than one note")
        // The asset is what the generator makes now (within 16-bit rounding).
        let fresh = AudioClip.notes(Self.notes, sampleRate: 22050)
        XCTAssertEqual(fresh.frameCount, clip.frameCount)
        let worst = zip(fresh.samples, clip.samples).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
        XCTAssertLessThan(worst, 1.0 / 16384)
    }
}
