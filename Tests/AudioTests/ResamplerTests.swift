import Audio
import XCTest

final class ResamplerTests: XCTestCase {
    // MARK: Alias rejection

    /// A 0–22 kHz linear sweep at 44.1 kHz resampled to 16 kHz: while the sweep is above the new
    /// Nyquist frequency (8 kHz) the output must be at least 60 dB below its level in the passband.
    func testSweepAboveNyquistIsRejectedBy60dB() {
        let duration = 1.0, top = 22000.0
        let sweep = AudioClip.sweep(from: 0, to: top, duration: duration, sampleRate: 44100, amplitude: 0.5)
        let out = sweep.resampled(to: 16000)
        XCTAssertEqual(out.sampleRate, 16000)
        XCTAssertEqual(out.frameCount, 16000)
        // Output frame index at which the sweep passes frequency f.
        func frame(at f: Double) -> Int { Int(f / top * duration * 16000) }
        let passband = out.samples[frame(at: 200)..<frame(at: 7000)]
        // From just above 8 kHz (the filter is a few ms long; skip its span) to the end, minus the edge.
        let aliasBand = out.samples[frame(at: 8200)..<frame(at: 21800)]
        let rejection = decibels(meanSquare(passband) / meanSquare(aliasBand))
        XCTAssertGreaterThanOrEqual(rejection, 60, "alias rejection \(rejection) dB")
        XCTAssertEqual(meanSquare(passband), 0.125, accuracy: 0.125 * 0.03, "passband keeps its level")
    }

    /// Steady sines between the new Nyquist frequency and the old one vanish (≥ 60 dB down).
    func testSinesAboveTheNewNyquistVanish() {
        for f in [8100.0, 9000, 12000, 16000, 21000] {
            let tone = AudioClip.sine(frequency: f, duration: 0.2, sampleRate: 44100, amplitude: 0.5)
            let out = tone.resampled(to: 16000).samples
            let level = decibels(meanSquare(out[400..<(out.count - 400)]) / 0.125)
            XCTAssertLessThanOrEqual(level, -60, "\(f) Hz leaks at \(level) dB")
        }
    }

    /// Upsampling must not leave images of the input spectrum above the old Nyquist frequency, and
    /// downsampling must not add anything: what remains after removing the sine is ≥ 60 dB down.
    func testOutputIsAPureSineWithImagesAndErrorsBelow60dB() {
        for (from, to, f) in [(8000, 48000, 3000.0), (44100, 16000, 1000.0), (22050, 16000, 5000.0)] {
            let tone = AudioClip.sine(frequency: f, duration: 0.1, sampleRate: from, amplitude: 0.5)
            let out = tone.resampled(to: to).samples
            let margin = to / 50
            let residual = residualAfterSine(out[margin..<(out.count - margin)], frequency: f, sampleRate: to)
            XCTAssertLessThanOrEqual(residual, -60, "\(from)→\(to) at \(f) Hz: residual \(residual) dB")
        }
    }

    // MARK: Passband

    func testPassbandSinesKeepTheirAmplitudeWithin0_1dB() {
        let cases: [(Int, Int, [Double])] = [
            (44100, 16000, [100, 1000, 3000, 6000, 7000]),
            (44100, 22050, [440, 5000, 9500]),
            (22050, 16000, [250, 2000, 7000]),
            (8000, 48000, [300, 1000, 3500]),
        ]
        for (from, to, frequencies) in cases {
            for f in frequencies {
                let tone = AudioClip.sine(frequency: f, duration: 0.15, sampleRate: from, amplitude: 0.5)
                let out = tone.resampled(to: to)
                XCTAssertEqual(out.frameCount, Int((Double(tone.frameCount) * Double(to) / Double(from)).rounded(.up)))
                let margin = to / 50
                let middle = out.samples[margin..<(out.frameCount - margin)]
                // The output must be the same sine, sampled at the new rate and in phase.
                let amplitude = sineAmplitude(middle, frequency: f, sampleRate: to)
                let error = 20 * log10(amplitude / 0.5)
                XCTAssertLessThan(abs(error), 0.1, "\(from)→\(to) at \(f) Hz: \(error) dB")
                let expected = (margin..<(margin + 50)).map { 0.5 * sin(2 * Double.pi * f * Double($0) / Double(to)) }
                for (i, e) in zip(margin..<(margin + 50), expected) {
                    XCTAssertEqual(Double(out.samples[i]), e, accuracy: 0.01, "\(from)→\(to) at \(f) Hz, sample \(i)")
                }
            }
        }
    }

    func testRealRatioUsesInterpolatedPhasesAccurately() {
        let ratio = 0.731
        let resampler = Resampler(ratio: ratio)
        XCTAssertEqual(resampler.phaseCount, Int((Double(Resampler.interpolatedPhases) * ratio).rounded(.up)))
        let tone = AudioClip.sine(frequency: 1000, duration: 0.1, sampleRate: 44100, amplitude: 0.5).samples
        let out = resampler.process(tone)
        XCTAssertEqual(out.count, Int((Double(tone.count) * ratio).rounded(.up)))
        let outRate = 44100 * ratio
        for i in 400..<(out.count - 400) {
            let expected = 0.5 * sin(2 * Double.pi * 1000 * Double(i) / outRate)
            XCTAssertEqual(Double(out[i]), expected, accuracy: 2e-3)
        }
    }

    // MARK: Shape

    func testRatesReduceToSmallFractions() {
        XCTAssertEqual(Resampler(from: 44100, to: 22050).phaseCount, 1)
        XCTAssertEqual(Resampler(from: 44100, to: 16000).phaseCount, 160)
        XCTAssertEqual(Resampler(from: 22050, to: 16000).phaseCount, 320)
        XCTAssertEqual(Resampler(from: 8000, to: 48000).phaseCount, 6)
        XCTAssertEqual(Resampler(from: 44100, to: 44101).phaseCount, Resampler.interpolatedPhases)
        XCTAssertEqual(Resampler(from: 44100, to: 22050).tapsPerPhase % 8, 0)
    }

    func testDCPassesWithUnitGainAndEdgesAreQuiet() {
        let dc = AudioClip(sampleRate: 44100, mono: [Float](repeating: 0.5, count: 4410))
        let out = dc.resampled(to: 16000).samples
        XCTAssertEqual(out.count, 1600)
        for v in out[200..<1400] { XCTAssertEqual(v, 0.5, accuracy: 1e-5) }
    }

    func testMultichannelEmptyAndSameRate() {
        let clip = AudioClip(sampleRate: 22050, channels: [[Float](repeating: 0.1, count: 100), [Float](repeating: -0.1, count: 100)])
        let out = clip.resampled(to: 11025)
        XCTAssertEqual(out.channelCount, 2)
        XCTAssertEqual(out.frameCount, 50)
        XCTAssertEqual(clip.resampled(to: 22050), clip)
        XCTAssertEqual(AudioClip(sampleRate: 44100, mono: []).resampled(to: 16000).frameCount, 0)
        XCTAssertEqual(AudioClip(sampleRate: 44100, mono: [1]).resampled(to: 16000).frameCount, 1)
    }
}
