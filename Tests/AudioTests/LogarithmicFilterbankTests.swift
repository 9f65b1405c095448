import Audio
import XCTest

/// madmom-style logarithmic filterbank: band frequencies, bin mapping, triangle shapes, normalisation.
final class LogarithmicFilterbankTests: XCTestCase {
    func testLogFrequenciesAreSemitoneFractionsOfA4InRange() {
        let f = LogarithmicFilterbank.logFrequencies(bandsPerOctave: 12, fmin: 430, fmax: 900)
        XCTAssertEqual(f.count, 13)                       // A4 … A5
        XCTAssertEqual(f.first!, 440, accuracy: 1e-9)
        XCTAssertEqual(f.last!, 880, accuracy: 1e-9)
        let quarter = LogarithmicFilterbank.logFrequencies(bandsPerOctave: 24, fmin: 30, fmax: 17_000)
        XCTAssertEqual(quarter.count, 219)
        XCTAssertTrue(quarter.allSatisfy { $0 >= 30 && $0 <= 17_000 })
        for (a, b) in zip(quarter, quarter.dropFirst()) { XCTAssertEqual(b / a, pow(2, 1.0 / 24), accuracy: 1e-12) }
    }

    func testBinFrequenciesFollowMadmomsLabelling() {
        let bins = LogarithmicFilterbank.fftBinFrequencies(binCount: 705, sampleRate: 22_050)
        XCTAssertEqual(bins.count, 705)
        XCTAssertEqual(bins[1], 22_050.0 / 1410, accuracy: 1e-12)
        XCTAssertEqual(bins[704], 704 * 22_050.0 / 1410, accuracy: 1e-9)
    }

    /// On a 1 Hz bin grid every semitone band has its own bins: triangles peak at their centre bin and sum to 1.
    func testTrianglesAreNormalisedAndPeakAtTheirCentre() {
        let grid = (0..<2000).map(Double.init)
        let fb = LogarithmicFilterbank(binFrequencies: grid, bandsPerOctave: 12, fmin: 100, fmax: 1000)
        XCTAssertEqual(fb.edgeBins.first, 104)            // G#2 103.83 Hz → bin 104
        XCTAssertEqual(fb.bandCount, fb.edgeBins.count - 2)
        for (i, band) in fb.bands.enumerated() {
            XCTAssertEqual(band.start, fb.edgeBins[i])
            XCTAssertEqual(band.weights.count, fb.edgeBins[i + 2] - fb.edgeBins[i])
            XCTAssertEqual(band.weights.reduce(0, +), 1, accuracy: 1e-5)
            XCTAssertEqual(band.weights.first, 0)
            let peak = band.weights.indices.max { band.weights[$0] < band.weights[$1] }!
            XCTAssertEqual(band.start + peak, fb.edgeBins[i + 1])
        }
        let unnormalised = LogarithmicFilterbank(binFrequencies: grid, bandsPerOctave: 12, fmin: 100, fmax: 1000, normalized: false)
        XCTAssertEqual(unnormalised.bands[3].weights.max(), 1)
    }

    /// A frequency exactly between two bins maps to the upper one; duplicates collapse (unique filters).
    func testTiesGoUpAndDuplicatesCollapse() {
        let coarse = (0..<50).map { Double($0) * 100 }
        let fb = LogarithmicFilterbank(binFrequencies: coarse, bandsPerOctave: 24, fmin: 30, fmax: 4000)
        XCTAssertEqual(fb.edgeBins, Array(Set(fb.edgeBins)).sorted(), "unique, ascending")
        XCTAssertEqual(fb.edgeBins.first, 0)             // 30…49 Hz are closest to bin 0
        let tie = LogarithmicFilterbank(binFrequencies: [0, 400, 480, 1000], bandsPerOctave: 12, fmin: 439, fmax: 441,
                                        uniqueFilters: false)
        XCTAssertEqual(tie.edgeBins, [2])                 // 440 is 40 Hz from both 400 and 480
        // Without unique filters, repeated bins make one-bin filters of weight 1.
        let repeated = LogarithmicFilterbank(binFrequencies: coarse, bandsPerOctave: 24, fmin: 30, fmax: 200, uniqueFilters: false)
        XCTAssertTrue(repeated.bands.contains { $0.weights == [1] })
    }

    func testApplyIsTheWeightedSum() {
        let grid = (0..<64).map { Double($0) * 50 }
        let fb = LogarithmicFilterbank(binFrequencies: grid, bandsPerOctave: 6, fmin: 100, fmax: 3000)
        let spectrum = (0..<64).map { Float($0 % 5) + 0.5 }
        let out = fb.apply(spectrum)
        for (b, band) in fb.bands.enumerated() {
            var s: Float = 0
            for (j, w) in band.weights.enumerated() { s += w * spectrum[band.start + j] }
            XCTAssertEqual(out[b], s, accuracy: 1e-5)
        }
    }
}
