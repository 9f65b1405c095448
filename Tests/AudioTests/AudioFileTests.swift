import Audio
import Foundation
import Media
import TestSupport
import XCTest

final class AudioFileTests: XCTestCase {
    var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory(prefix: "mlwb-audio") }
    override func tearDown() { dir.remove() }

    private func stereoClip() -> AudioClip {
        let left = AudioClip.sine(frequency: 440, duration: 0.2, sampleRate: 22050, amplitude: 0.5).samples
        let right = AudioClip.sine(frequency: 660, duration: 0.2, sampleRate: 22050, amplitude: 0.25).samples
        return AudioClip(sampleRate: 22050, channels: [left, right])
    }

    private func maxDifference(_ a: AudioClip, _ b: AudioClip) -> Float {
        var worst: Float = 0
        for (x, y) in zip(a.channels, b.channels) { for (p, q) in zip(x, y) { worst = max(worst, abs(p - q)) } }
        return worst
    }

    // MARK: Round trips

    func testWAVRoundTripsAtEachEncoding() throws {
        let clip = stereoClip()
        for (format, name, tolerance) in [(AudioFormat.wav16, "WAV 16-bit PCM", Float(1.0 / 32000)),
                                          (.wav24, "WAV 24-bit PCM", Float(1.0 / 8_000_000)),
                                          (.wavFloat, "WAV 32-bit float", Float(0))] {
            let path = dir.file("clip-\(name.split(separator: " ")[1]).wav")
            try AudioFile.save(clip, to: path, format: format)
            let back = try AudioFile.load(path)
            XCTAssertEqual(back.sampleRate, 22050)
            XCTAssertEqual(back.channelCount, 2)
            XCTAssertEqual(back.frameCount, clip.frameCount)
            XCTAssertLessThanOrEqual(maxDifference(clip, back), tolerance, name)
            let info = try AudioFile.info(path)
            XCTAssertEqual(info, AudioInfo(frameCount: clip.frameCount, sampleRate: 22050, channelCount: 2, formatName: name))
            XCTAssertEqual(info.duration, 0.2, accuracy: 1e-9)
        }
    }

    func testFormatFollowsTheExtension() throws {
        let clip = stereoClip()
        try AudioFile.save(clip, to: dir.file("a.wav"))
        try AudioFile.save(clip, to: dir.file("a.flac"))
        try AudioFile.save(clip, to: dir.file("a.ogg"))
        XCTAssertEqual(try AudioFile.info(dir.file("a.wav")).formatName, "WAV 16-bit PCM")
        XCTAssertEqual(try AudioFile.info(dir.file("a.flac")).formatName, "FLAC 16-bit")
        XCTAssertEqual(try AudioFile.info(dir.file("a.ogg")).formatName, "Ogg Vorbis")
        XCTAssertEqual(dir.contents(), ["a.flac", "a.ogg", "a.wav"], "no temporary files are left behind")
    }

    func testFLACIsLosslessAt16Bits() throws {
        let clip = stereoClip()
        try AudioFile.save(clip, to: dir.file("a.flac"))
        try AudioFile.save(clip, to: dir.file("a.wav"))
        let flac = try AudioFile.load(dir.file("a.flac")), wav = try AudioFile.load(dir.file("a.wav"))
        XCTAssertEqual(flac.frameCount, wav.frameCount)
        XCTAssertLessThanOrEqual(maxDifference(flac, wav), 1.0 / 32768, "both hold the same 16-bit samples")
        XCTAssertLessThanOrEqual(maxDifference(flac, clip), 1.0 / 32000)
    }

    func testOggVorbisKeepsTheSignalApproximately() throws {
        let clip = AudioClip.sine(frequency: 440, duration: 0.5, sampleRate: 22050, amplitude: 0.5)
        let path = dir.file("tone.ogg")
        try AudioFile.save(clip, to: path, format: .oggVorbis(quality: 0.8))
        let back = try AudioFile.load(path)
        XCTAssertEqual(back.sampleRate, 22050)
        XCTAssertEqual(back.channelCount, 1)
        XCTAssertEqual(back.duration, 0.5, accuracy: 0.01)
        let middle = back.samples[2000..<9000]
        XCTAssertEqual(sineAmplitude(middle, frequency: 440, sampleRate: 22050), 0.5, accuracy: 0.02)
    }

    func testSamplesBeyondFullScaleAreClippedNotWrapped() throws {
        let path = dir.file("loud.wav")
        try AudioFile.save(AudioClip(sampleRate: 8000, mono: [1.5, -2, 0.5]), to: path)
        let back = try AudioFile.load(path).samples
        XCTAssertGreaterThan(back[0], 0.99)
        XCTAssertLessThan(back[1], -0.99)
        XCTAssertEqual(back[2], 0.5, accuracy: 1e-4)
    }

    func testSavingOverAnExistingFileReplacesIt() throws {
        let path = dir.file("a.wav")
        try AudioFile.save(stereoClip(), to: path)
        try AudioFile.save(AudioClip(sampleRate: 8000, mono: [0.25]), to: path)
        XCTAssertEqual(try AudioFile.info(path).frameCount, 1)
    }

    // MARK: Bad input

    func testMissingFile() {
        let path = dir.file("nothing.wav")
        assertMediaError([path, "no such file"]) { _ = try AudioFile.load(path) }
        assertMediaError([path, "no such file"]) { _ = try AudioFile.info(path) }
    }

    func testDirectory() {
        assertMediaError([dir.path, "is a directory"]) { _ = try AudioFile.load(dir.path) }
    }

    func testUnreadableFile() throws {
        try XCTSkipIf(geteuid() == 0, "root can read files without read permission")
        let path = dir.file("secret.wav")
        try AudioFile.save(stereoClip(), to: path)
        chmod(path, 0)
        assertMediaError([path, "cannot read", "Permission denied"]) { _ = try AudioFile.load(path) }
    }

    func testEmptyFile() throws {
        let path = dir.file("empty.wav")
        _ = FileManager.default.createFile(atPath: path, contents: Data())
        assertMediaError([path, "not a valid WAV file", "empty"]) { _ = try AudioFile.load(path) }
    }

    func testGarbageWithAWAVName() throws {
        let path = dir.file("garbage.wav")
        try Data((0..<4000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }).write(to: URL(fileURLWithPath: path))
        assertMediaError([path, "not a valid WAV file", "libsndfile:"]) { _ = try AudioFile.load(path) }
        assertMediaError([path, "libsndfile:"]) { _ = try AudioFile.info(path) }
    }

    func testHeaderCutShort() throws {
        let path = dir.file("cut.wav")
        try AudioFile.save(stereoClip(), to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(30).write(to: URL(fileURLWithPath: path))
        assertMediaError([path, "not a valid WAV file", "libsndfile:"]) { _ = try AudioFile.load(path) }
    }

    func testTruncatedData() throws {
        let path = dir.file("truncated.wav")
        try AudioFile.save(stereoClip(), to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        assertMediaError([path, "not a valid WAV file", "truncated", "declares 17640 bytes", "only 8798"]) {
            _ = try AudioFile.load(path)
        }
    }

    func testTruncatedFLAC() throws {
        let path = dir.file("truncated.flac")
        try AudioFile.save(stereoClip(), to: path)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: path))
        assertMediaError([path, "not a valid FLAC file"]) { _ = try AudioFile.load(path) }
    }

    func testZeroChannels() throws {
        let path = dir.file("nochannels.wav")
        try Data(Self.wavHeader(channels: 0, sampleRate: 8000, bits: 16, dataBytes: 64) + [UInt8](repeating: 0, count: 64))
            .write(to: URL(fileURLWithPath: path))
        assertMediaError([path, "not a valid WAV file"]) { _ = try AudioFile.load(path) }
    }

    func testRefusesMoreSamplesThanTheLimitBeforeDecoding() throws {
        let path = dir.file("a.wav")
        try AudioFile.save(stereoClip(), to: path)
        assertMediaError([path, "too large", "4410 frames × 2 channels = 8820 samples (limit 8000)"]) {
            _ = try AudioFile.load(path, maxSamples: 8000)
        }
    }

    func testRefusesAHugeSparseFile() throws {
        // An 8-bit WAV whose data chunk declares (and, sparsely, holds) ~4.29 billion samples.
        let path = dir.file("huge.wav")
        let dataBytes: UInt32 = 0xFFFF_FF00
        try Data(Self.wavHeader(channels: 1, sampleRate: 8000, bits: 8, dataBytes: dataBytes)).write(to: URL(fileURLWithPath: path))
        guard truncate(path, off_t(44) + off_t(dataBytes)) == 0 else { throw XCTSkip("cannot make a sparse file here") }
        let info = try AudioFile.info(path)
        XCTAssertEqual(info.frameCount, Int(dataBytes))
        assertMediaError([path, "too large", "limit 2147483648"]) { _ = try AudioFile.load(path) }
    }

    func testUnknownExtensionAndBadArguments() {
        let clip = stereoClip()
        assertMediaError([dir.file("a.mp3"), "unsupported", ".mp3"]) { try AudioFile.save(clip, to: self.dir.file("a.mp3")) }
        assertMediaError(["no file extension"]) { try AudioFile.save(clip, to: self.dir.file("noext")) }
        assertMediaError(["no channels"]) { try AudioFile.save(AudioClip(sampleRate: 8000, channels: []), to: self.dir.file("x.wav")) }
        assertMediaError(["quality"]) { try AudioFile.save(clip, to: self.dir.file("x.ogg"), format: .oggVorbis(quality: 3)) }
        XCTAssertEqual(dir.contents(), [])
    }

    func testSavingIntoAMissingDirectory() {
        let path = dir.file("missing/a.wav")
        assertMediaError([path, "cannot write", "does not exist"]) { try AudioFile.save(self.stereoClip(), to: path) }
    }

    // MARK: Hostile headers

    func testRefusesSampleRatesOutsideOneKilohertzTo384Kilohertz() throws {
        for rate: UInt32 in [3, 999, 384_001, 2_147_483_647] {
            let path = dir.file("rate-\(rate).wav")
            try Data(Self.wavHeader(channels: 1, sampleRate: rate, bits: 16, dataBytes: 20_000) + [UInt8](repeating: 1, count: 20_000))
                .write(to: URL(fileURLWithPath: path))
            assertMediaError([path, "sample rate of \(rate) Hz", "1000–384000 Hz"]) { _ = try AudioFile.load(path) }
            assertMediaError([path, "sample rate of \(rate) Hz"]) { _ = try AudioFile.info(path) }
        }
        for rate: UInt32 in [1000, 384_000] {
            let path = dir.file("edge-\(rate).wav")
            try Data(Self.wavHeader(channels: 1, sampleRate: rate, bits: 16, dataBytes: 200) + [UInt8](repeating: 0, count: 200))
                .write(to: URL(fileURLWithPath: path))
            XCTAssertEqual(try AudioFile.load(path).sampleRate, Int(rate))
        }
    }

    func testADataChunkWithoutAWholeFrameLoadsAsAnEmptyClip() throws {
        // 3 bytes of 16-bit stereo: not even one frame.
        let path = dir.file("zero-frames.wav")
        try Data(Self.wavHeader(channels: 2, sampleRate: 22050, bits: 16, dataBytes: 3) + [1, 2, 3, 0])
            .write(to: URL(fileURLWithPath: path))
        let clip = try AudioFile.load(path)
        XCTAssertEqual(clip.frameCount, 0)
        XCTAssertEqual(clip.channelCount, 2)
        XCTAssertEqual(clip.resampled(to: 16000).frameCount, 0)
    }

    func testNonFiniteFloatSamplesLoadAsTheyAre() throws {
        var samples = [Float](repeating: 0.25, count: 100)
        samples[10] = .nan
        samples[20] = .infinity
        let path = dir.file("nan.wav")
        var header = Self.wavHeader(channels: 1, sampleRate: 22050, bits: 32, dataBytes: 400)
        header[20] = 3  // WAVE_FORMAT_IEEE_FLOAT
        let data = samples.flatMap { value in (0..<4).map { UInt8(truncatingIfNeeded: value.bitPattern >> (8 * $0)) } }
        try Data(header + data).write(to: URL(fileURLWithPath: path))
        let back = try AudioFile.load(path)
        XCTAssertTrue(back.samples[10].isNaN)
        XCTAssertEqual(back.samples[20], .infinity)
    }

    // MARK: Helpers

    /// A canonical 44-byte PCM WAV header.
    static func wavHeader(channels: UInt16, sampleRate: UInt32, bits: UInt16, dataBytes: UInt32) -> [UInt8] {
        func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
        func le16(_ v: UInt16) -> [UInt8] { [UInt8(v & 0xFF), UInt8(v >> 8)] }
        let block = channels * bits / 8
        return Array("RIFF".utf8) + le32(dataBytes &+ 36) + Array("WAVEfmt ".utf8) + le32(16) + le16(1) + le16(channels)
            + le32(sampleRate) + le32(sampleRate &* UInt32(block)) + le16(block) + le16(bits)
            + Array("data".utf8) + le32(dataBytes)
    }
}
