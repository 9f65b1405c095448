import Audio
import Media
@testable import Render
import XCTest

/// The chord lane: blocks where the spans are, colours by root and quality, labels under their blocks.
final class ChordLanePlotTests: XCTestCase {
    let spans = [ChordLanePlot.Span(start: 0, end: 1, label: "N"), .init(start: 1, end: 3, label: "C:maj"),
                 .init(start: 3, end: 4, label: "A:min7/b3")]

    func testBlocksFollowTheSpans() {
        let lane = ChordLanePlot.lane(spans, duration: 4, width: 40, height: 4)
        XCTAssertEqual(lane.width, 40)
        XCTAssertEqual(lane.height, 4)
        let n = lane.pixel(5, 1), c = lane.pixel(20, 1), a = lane.pixel(35, 1)
        XCTAssertNotEqual(n, c)
        XCTAssertNotEqual(c, a)
        XCTAssertLessThan(lane.pixel(10, 1).x, c.x)   // a dark line where the chord changes
    }

    func testColoursByRootAndQuality() {
        XCTAssertEqual(ChordLanePlot.color(of: "C:maj"), ChordLanePlot.color(of: "C:7"))
        XCTAssertNotEqual(ChordLanePlot.color(of: "C:maj"), ChordLanePlot.color(of: "C:min"))
        XCTAssertNotEqual(ChordLanePlot.color(of: "C:maj"), ChordLanePlot.color(of: "G:maj"))
        XCTAssertEqual(ChordLanePlot.color(of: "C#:maj"), ChordLanePlot.color(of: "Db:maj"))
        XCTAssertEqual(ChordLanePlot.color(of: "N"), ChordLanePlot.color(of: "X"))
    }

    func testLabelsSitUnderTheirBlocksAndGiveWay() {
        let line = ChordLanePlot.labelLine(spans, duration: 4, columns: 40)
        XCTAssertTrue(line.hasPrefix("·"), line)
        XCTAssertEqual(Array(line)[10], "C", line)
        XCTAssertEqual(Array(line)[30], "A", line)
        XCTAssertTrue(line.contains("A:min7/b3"), line)
        // Too little room: labels are cut short, never overlap.
        let narrow = ChordLanePlot.labelLine(spans, duration: 4, columns: 12)
        XCTAssertLessThanOrEqual(narrow.count, 12)
        XCTAssertEqual(ChordLanePlot.labelLine([], duration: 4, columns: 10), "")
    }

    func testOverviewStacksWaveformChromagramAndLane() {
        let clip = AudioClip.sine(frequency: 262, duration: 1, sampleRate: 8000)
        var chroma = [Float](repeating: 0, count: 10 * 12)
        for t in 0..<10 { chroma[t * 12] = 1 }
        let picture = ChordLanePlot.overview(clip, chroma: chroma, frameCount: 10, frameRate: 10, spans: spans, width: 30, height: 40)
        XCTAssertEqual(picture.width, 30)
        XCTAssertEqual(picture.height, 40)
        let plain = ChordLanePlot.overview(clip, spans: spans, width: 30, height: 20)
        XCTAssertEqual(plain.height, 20)
    }
}
