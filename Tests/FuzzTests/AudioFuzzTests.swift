import Audio
import Foundation
import Media
import Render
import TestSupport
import XCTest

/// WAV, FLAC and Ogg Vorbis: libsndfile's header and data parsing through `AudioFile.info` and
/// `load`, then what `mlwb show` and the models do with a clip (overview plot, resampling).
final class AudioFuzzTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory(prefix: "mlwb-fuzz-audio") }
    override func tearDown() { dir.remove() }

    /// A short stereo clip written in `format` (seeds made by libsndfile itself).
    private func seed(_ format: AudioFormat, _ ext: String) throws -> [UInt8] {
        let left = AudioClip.sine(frequency: 440, duration: 0.05, sampleRate: 8000, amplitude: 0.5).samples
        let right = AudioClip.sine(frequency: 660, duration: 0.05, sampleRate: 8000, amplitude: 0.25).samples
        let path = dir.file("seed.\(ext)")
        try AudioFile.save(AudioClip(sampleRate: 8000, channels: [left, right]), to: path, format: format)
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// The parse under test; `ext` names the container for libsndfile's fallbacks.
    static func parse(_ bytes: [UInt8], path: String) throws {
        try FuzzHarness.write(bytes, to: path)
        _ = try AudioFile.info(path)
        let clip = try AudioFile.load(path, maxSamples: 1 << 21)
        _ = AudioPlot.overview(clip, width: 40, height: 16)
        if clip.frameCount <= 1 << 16 { _ = clip.mono().resampled(to: 22050) }
    }

    func testMutatedWAVs() throws {
        let seeds = [try FuzzHarness.projectFile("assets/audio/arpeggio.wav").prefix(8192).map { $0 }, try seed(.wav16, "wav"),
                     try seed(.wavFloat, "wav"), try seed(.wav24, "wav")]
        let path = dir.file("mutant.wav")
        FuzzHarness.run("wav", seeds: seeds, seed: 0x574156) { bytes, _ in try Self.parse(bytes, path: path) }
    }

    func testMutatedFLACs() throws {
        let path = dir.file("mutant.flac")
        FuzzHarness.run("flac", seeds: [try seed(.flac, "flac")], seed: 0x464C4143) { bytes, _ in try Self.parse(bytes, path: path) }
    }

    func testMutatedOggs() throws {
        let path = dir.file("mutant.ogg")
        FuzzHarness.run("ogg", seeds: [try seed(.ogg, "ogg")], seed: 0x4F4747) { bytes, _ in try Self.parse(bytes, path: path) }
    }
}
