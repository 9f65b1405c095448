import Audio
import Media
import XCTest

/// Asserts that `body` throws a `MediaError` whose message contains every string in `fragments`.
func assertMediaError(_ fragments: [String], file: StaticString = #filePath, line: UInt = #line,
                      _ body: () throws -> Void) {
    do {
        try body()
        XCTFail("expected a MediaError containing \(fragments)", file: file, line: line)
    } catch let error as MediaError {
        let message = error.description
        for fragment in fragments {
            XCTAssertTrue(message.contains(fragment), "“\(message)” lacks “\(fragment)”", file: file, line: line)
        }
    } catch {
        XCTFail("expected a MediaError, got \(error)", file: file, line: line)
    }
}

/// Least-squares amplitude of a sinusoid of `frequency` Hz in `samples` taken at `sampleRate`.
func sineAmplitude(_ samples: ArraySlice<Float>, frequency: Double, sampleRate: Int) -> Double {
    let (a, b) = sineFit(samples, frequency: frequency, sampleRate: sampleRate)
    return (a * a + b * b).squareRoot()
}

/// The power left in `samples` after removing the best-fitting sinusoid of `frequency` Hz, relative to the total, in dB.
func residualAfterSine(_ samples: ArraySlice<Float>, frequency: Double, sampleRate: Int) -> Double {
    let (a, b) = sineFit(samples, frequency: frequency, sampleRate: sampleRate)
    let w = 2 * Double.pi * frequency / Double(sampleRate)
    var residual = 0.0, total = 0.0
    for (i, y) in zip(samples.indices, samples) {
        let fit = a * sin(w * Double(i)) + b * cos(w * Double(i))
        residual += (Double(y) - fit) * (Double(y) - fit)
        total += Double(y) * Double(y)
    }
    return 10 * log10(residual / total)
}

/// Least-squares coefficients (a, b) of a·sin + b·cos at `frequency` Hz, sample index as time.
func sineFit(_ samples: ArraySlice<Float>, frequency: Double, sampleRate: Int) -> (Double, Double) {
    var ss = 0.0, cc = 0.0, sc = 0.0, ys = 0.0, yc = 0.0
    let w = 2 * Double.pi * frequency / Double(sampleRate)
    for (i, y) in zip(samples.indices, samples) {
        let s = sin(w * Double(i)), c = cos(w * Double(i))
        ss += s * s; cc += c * c; sc += s * c
        ys += Double(y) * s; yc += Double(y) * c
    }
    let det = ss * cc - sc * sc
    return ((ys * cc - yc * sc) / det, (yc * ss - ys * sc) / det)
}

/// Mean square of a slice.
func meanSquare(_ samples: ArraySlice<Float>) -> Double {
    guard !samples.isEmpty else { return 0 }
    return samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)
}

/// Decibels of a power ratio.
func decibels(_ ratio: Double) -> Double { 10 * log10(ratio) }
