import XCTest
@testable import MIDI

/// Piecewise tick ↔ seconds conversion.
final class TempoMapTests: XCTestCase {
    func testDefaultIs120BPMAt480TicksPerQuarter() {
        let map = TempoMap()
        XCTAssertEqual(map.ticksPerQuarter, 480)
        XCTAssertEqual(map.initialBPM, 120)
        XCTAssertEqual(map.seconds(atTick: 960), 1.0)
        XCTAssertEqual(map.tick(atSeconds: 2.5), 2400)
    }

    func testPiecewiseConversionBothWays() {
        // 120 bpm for 960 ticks (1 s), then 60 bpm for 480 ticks (1 s), then 240 bpm.
        let map = TempoMap(division: .ticksPerQuarter(480), changes: [
            .init(tick: 1440, bpm: 240), .init(tick: 960, bpm: 60), .init(tick: 0, bpm: 120),
        ])
        XCTAssertEqual(map.changes.map(\.tick), [0, 960, 1440])
        let pairs: [(Int, Double)] = [(0, 0), (480, 0.5), (960, 1.0), (1200, 1.5), (1440, 2.0), (1920, 2.25)]
        for (tick, seconds) in pairs {
            XCTAssertEqual(map.seconds(atTick: tick), seconds, accuracy: 1e-12, "tick \(tick)")
            XCTAssertEqual(map.ticks(atSeconds: seconds), Double(tick), accuracy: 1e-9, "seconds \(seconds)")
        }
        XCTAssertEqual(map.microsecondsPerQuarter(atTick: 1000), 1_000_000)
        for tick in stride(from: 0, to: 5000, by: 37) {
            XCTAssertEqual(map.tick(atSeconds: map.seconds(atTick: tick)), tick)
        }
    }

    func testMissingInitialTempoAndDuplicates() {
        let map = TempoMap(division: .ticksPerQuarter(96), changes: [
            .init(tick: 96, microsecondsPerQuarter: 1_000_000),
            .init(tick: 96, microsecondsPerQuarter: 250_000),  // later at the same tick wins
        ])
        XCTAssertEqual(map.changes, [.init(tick: 0, microsecondsPerQuarter: 500_000),
                                     .init(tick: 96, microsecondsPerQuarter: 250_000)])
        XCTAssertEqual(map.seconds(atTick: 192), 0.75, accuracy: 1e-12)
    }

    func testSMPTEIgnoresTempo() {
        let map = TempoMap(division: .smpte(framesPerSecond: 30, ticksPerFrame: 80), changes: [.init(tick: 0, bpm: 33)])
        XCTAssertEqual(map.seconds(atTick: 2400), 1.0)
        XCTAssertEqual(map.tick(atSeconds: 0.5), 1200)
        XCTAssertEqual(MIDIDivision.smpte(framesPerSecond: 29, ticksPerFrame: 100).smpteTicksPerSecond!,
                       2997.002997, accuracy: 1e-6)
    }

    func testDivisionHeaderWord() {
        XCTAssertEqual(MIDIDivision(headerWord: 480), .ticksPerQuarter(480))
        XCTAssertNil(MIDIDivision(headerWord: 0))
        XCTAssertEqual(MIDIDivision(headerWord: 0xE728), .smpte(framesPerSecond: 25, ticksPerFrame: 40))
        XCTAssertNil(MIDIDivision(headerWord: 0xE100))  // -31 fps
        XCTAssertEqual(MIDIDivision.smpte(framesPerSecond: 25, ticksPerFrame: 40).headerWord, 0xE728)
        XCTAssertNil(MIDIDivision.ticksPerQuarter(40_000).headerWord)
    }

    func testFarOffTimesGiveClampedTicksAndEncodingRefusesThem() throws {
        let map = TempoMap()
        XCTAssertEqual(map.tick(atSeconds: 9.2e18), Int.max / 2)
        XCTAssertEqual(map.tick(atSeconds: .infinity), Int.max / 2)
        XCTAssertEqual(map.tick(atSeconds: .nan), 0)
        // A note table's offset of 9223372036854775807.75 s once trapped the MIDI encoder (fuzz suite).
        let file = MIDIFile(notes: [NoteEvent(pitch: 59, start: 11.125, end: 9_223_372_036_854_775_807.75)])
        XCTAssertThrowsError(try file.encode()) { error in
            XCTAssertTrue("\(error)".contains("beyond"), "\(error)")
        }
    }
}
