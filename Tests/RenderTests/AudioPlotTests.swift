import Audio
import Media
import XCTest
@testable import Render

/// Audio pictures of hostile or degenerate clips: non-finite samples, no frames at all.
final class AudioPlotTests: XCTestCase {
    func testNonFiniteSamplesDoNotTrapTheWaveform() {
        var samples = (0..<4000).map { Float(sin(Double($0) / 10)) }
        samples[1000] = .nan
        samples[2000] = .infinity
        samples[3000] = -.infinity
        let clip = AudioClip(sampleRate: 22050, channels: [samples])
        let picture = AudioPlot.overview(clip, width: 40, height: 20)
        XCTAssertEqual(picture.width, 40)
        XCTAssertTrue(picture.pixels.allSatisfy(\.isFinite), "every pixel is a colour")
        let allNaN = AudioClip(sampleRate: 22050, channels: [[Float](repeating: .nan, count: 500)])
        XCTAssertEqual(AudioPlot.overview(allNaN, width: 30, height: 10).width, 30)
    }

    func testAClipWithoutFramesDrawsAnEmptyPicture() {
        let empty = AudioClip(sampleRate: 22050, channels: [[], []])
        let picture = AudioPlot.overview(empty, width: 40, height: 16)
        XCTAssertEqual(picture.width, 40)
        XCTAssertEqual(picture.height, 16)
        let one = AudioClip(sampleRate: 22050, channels: [[0.5]])
        XCTAssertEqual(AudioPlot.overview(one, width: 40, height: 16).height, 16)
    }
}
