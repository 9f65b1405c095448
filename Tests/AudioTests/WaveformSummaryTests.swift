import Audio
import XCTest

final class WaveformSummaryTests: XCTestCase {
    func testMinMaxAndRMSPerColumn() {
        let clip = AudioClip(sampleRate: 8, mono: [0, 1, -1, 0.5, 0.25, 0.25, -0.5, 0])
        let summary = WaveformSummary(clip, columns: 2)
        XCTAssertEqual(summary.count, 2)
        XCTAssertEqual(summary.duration, 1)
        XCTAssertEqual(summary.columns[0].min, -1)
        XCTAssertEqual(summary.columns[0].max, 1)
        XCTAssertEqual(summary.columns[0].rms, Float((2.25 / 4).squareRoot()), accuracy: 1e-6)
        XCTAssertEqual(summary.columns[1].min, -0.5)
        XCTAssertEqual(summary.columns[1].max, 0.25)
    }

    func testChannelsAreNotCancelledAndShortClipsFillEveryColumn() {
        let clip = AudioClip(sampleRate: 4, channels: [[0.5, 0.5, 0.5], [-0.5, -0.5, -0.5]])
        let summary = WaveformSummary(clip, columns: 7)
        XCTAssertEqual(summary.count, 7)
        for column in summary.columns {
            XCTAssertEqual(column.min, -0.5)
            XCTAssertEqual(column.max, 0.5)
            XCTAssertEqual(column.rms, 0.5, accuracy: 1e-6)
        }
        XCTAssertEqual(WaveformSummary(AudioClip(sampleRate: 4, mono: []), columns: 3).columns,
                       Array(repeating: .init(min: 0, max: 0, rms: 0), count: 3))
    }

    func testASineFillsTheColumnsSymmetrically() {
        let clip = AudioClip.sine(frequency: 50, duration: 1, sampleRate: 8000, amplitude: 0.8)
        for column in WaveformSummary(clip, columns: 20).columns {
            XCTAssertEqual(column.max, 0.8, accuracy: 1e-3)
            XCTAssertEqual(column.min, -0.8, accuracy: 1e-3)
            XCTAssertEqual(column.rms, 0.8 / Float(2.0.squareRoot()), accuracy: 1e-3)
        }
    }
}
