import Foundation
import TestSupport
import XCTest

/// `mlwb show` on hostile files: the process ends with 0 or 1 and a message, never a trap (issue 10).
final class ShowCommandTests: XCTestCase {
    private var dir: TemporaryDirectory!

    override func setUpWithError() throws { dir = try TemporaryDirectory(prefix: "mlwb-show") }
    override func tearDown() { dir.remove() }

    private func show(_ name: String, _ bytes: [UInt8]) throws -> ProcessRunner.Result {
        let path = dir.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try ProcessRunner.mlwb(["show", "--size", "40x12", "--colors", "none", path])
    }

    func testMIDINoteEndingOnTheLastTickIsDrawn() throws {
        // A note from 0 to 480, then one whose on and off are both at tick 480, the file's end.
        let track: [UInt8] = [0x00, 0x90, 60, 100, 0x83, 0x60, 0x80, 60, 0, 0x00, 0x90, 64, 100, 0x00, 0x80, 64, 0,
                              0x00, 0xFF, 0x2F, 0x00]
        let bytes = Array("MThd".utf8) + [0, 0, 0, 6, 0, 0, 0, 1, 0x01, 0xE0] + Array("MTrk".utf8)
            + [0, 0, 0, UInt8(track.count)] + track
        let result = try show("last.mid", bytes)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("▀"), result.stdout)
    }

    func testFloatWAVWithNaNAndInfinityIsDrawn() throws {
        var samples = (0..<4000).map { Float(sin(Double($0) / 10)) }
        samples[1000] = .nan
        samples[2000] = .infinity
        samples[3000] = -.infinity
        let result = try show("nan.wav", Self.wav(rate: 22050, channels: 1, bits: 32, format: 3,
                                                  data: samples.flatMap { Self.le($0.bitPattern, 4) }))
        XCTAssertEqual(result.status, 0, result.stderr)
    }

    func testWAVWithoutAWholeFrameIsDrawnEmpty() throws {
        let result = try show("zero.wav", Self.wav(rate: 22050, channels: 2, bits: 16, format: 1, data: [1, 2, 3]))
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
    }

    func testImplausibleSampleRatesAreRefusedWithAMessage() throws {
        for rate in [3, 2_147_483_647] {
            let result = try show("rate-\(rate).wav", Self.wav(rate: rate, channels: 1, bits: 16, format: 1,
                                                               data: [UInt8](repeating: 1, count: 20_000)))
            XCTAssertEqual(result.status, 1, result.stderr)
            XCTAssertTrue(result.stderr.contains("sample rate of \(rate) Hz"), result.stderr)
        }
    }

    // MARK: Helpers

    private static func le<T: FixedWidthInteger>(_ value: T, _ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// A RIFF WAVE file with one fmt and one data chunk, exactly as given (padded to an even length).
    static func wav(rate: Int, channels: Int, bits: Int, format: Int, data: [UInt8]) -> [UInt8] {
        let block = channels * bits / 8
        let fmt = le(UInt16(format), 2) + le(UInt16(channels), 2) + le(UInt32(rate), 4)
            + le(UInt32(truncatingIfNeeded: rate * block), 4) + le(UInt16(block), 2) + le(UInt16(bits), 2)
        var body = Array("WAVEfmt ".utf8) + le(UInt32(16), 4) + fmt + Array("data".utf8) + le(UInt32(data.count), 4) + data
        if data.count % 2 == 1 { body.append(0) }
        return Array("RIFF".utf8) + le(UInt32(body.count), 4) + body
    }
}
