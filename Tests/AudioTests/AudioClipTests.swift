import Audio
import XCTest

final class AudioClipTests: XCTestCase {
    func testShapeAndDuration() {
        let clip = AudioClip(sampleRate: 8000, channels: [[0, 0.5, -1, 0.25], [1, 1, 1, 1]])
        XCTAssertEqual(clip.frameCount, 4)
        XCTAssertEqual(clip.channelCount, 2)
        XCTAssertEqual(clip.duration, 0.0005, accuracy: 1e-12)
        XCTAssertEqual(clip.peak, 1)
    }

    func testMonoIsTheAverageOfChannels() {
        let clip = AudioClip(sampleRate: 100, channels: [[1, 0, -1], [0, 0.5, 1]])
        let mono = clip.mono()
        XCTAssertEqual(mono.channelCount, 1)
        XCTAssertEqual(mono.samples, [0.5, 0.25, 0])
        XCTAssertEqual(mono.sampleRate, 100)
    }

    func testRMSOfAFullScaleSineIsOneOverRootTwo() {
        let clip = AudioClip.sine(frequency: 100, duration: 0.1, sampleRate: 8000, amplitude: 1)
        XCTAssertEqual(clip.rms, Float(0.5.squareRoot()), accuracy: 1e-4)
        XCTAssertEqual(clip.peak, 1, accuracy: 1e-3)
        XCTAssertEqual(AudioClip(sampleRate: 10, mono: []).rms, 0)
    }

    func testSliceInSecondsIsClamped() {
        let clip = AudioClip(sampleRate: 10, mono: (0..<20).map(Float.init))
        XCTAssertEqual(clip.slice(from: 0.5, to: 1.0).samples, [5, 6, 7, 8, 9])
        XCTAssertEqual(clip.slice(from: -3, to: 0.2).samples, [0, 1])
        XCTAssertEqual(clip.slice(from: 1.8, to: 99).samples, [18, 19])
        XCTAssertEqual(clip.slice(from: 5, to: 6).frameCount, 0)
        XCTAssertEqual(clip.slice(from: 1, to: 0.5).frameCount, 0)
    }
}
