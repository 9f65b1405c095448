import Audio
import XCTest

final class FFTTests: XCTestCase {
    /// A direct O(n²) DFT to compare against.
    private func naiveDFT(_ x: [Float]) -> (re: [Double], im: [Double]) {
        let n = x.count
        var re = [Double](repeating: 0, count: n / 2 + 1), im = re
        for k in 0...(n / 2) {
            for (t, v) in x.enumerated() {
                let angle = -2 * Double.pi * Double(k * t % n) / Double(n)
                re[k] += Double(v) * cos(angle)
                im[k] += Double(v) * sin(angle)
            }
        }
        return (re, im)
    }

    func testMatchesADirectDFTAtEverySize() {
        var seed: UInt64 = 42
        for size in [2, 4, 8, 16, 64, 256, 1024] {
            let x: [Float] = (0..<size).map { _ in
                seed = seed &* 6364136223846793005 &+ 1442695040888963407
                return Float(Int64(bitPattern: seed >> 11) % 2000) / 1000 - 1
            }
            let (re, im) = FFT(size: size).forward(x)
            let expected = naiveDFT(x)
            XCTAssertEqual(re.count, size / 2 + 1)
            for k in 0...(size / 2) {
                XCTAssertEqual(Double(re[k]), expected.re[k], accuracy: 1e-4 * Double(size), "size \(size) bin \(k) real")
                XCTAssertEqual(Double(im[k]), expected.im[k], accuracy: 1e-4 * Double(size), "size \(size) bin \(k) imag")
            }
        }
    }

    func testA1kHzSinePeaksInItsBin() {
        // 1 kHz at 16 kHz with N = 512: bin spacing 31.25 Hz, so exactly bin 32.
        let x = AudioClip.sine(frequency: 1000, duration: 512.0 / 16000, sampleRate: 16000, amplitude: 1).samples
        let magnitudes = FFT(size: 512).magnitudes(x)
        let peak = magnitudes.indices.max { magnitudes[$0] < magnitudes[$1] }!
        XCTAssertEqual(peak, 32)
        XCTAssertEqual(magnitudes[32], 256, accuracy: 0.01)  // N/2 · amplitude
        for k in magnitudes.indices where k != 32 { XCTAssertLessThan(magnitudes[k], 0.01) }
    }

    func testParseval() {
        let n = 2048
        let x: [Float] = (0..<n).map { i in
            let d = Double(i)
            let a: Double = sin(d * 0.37) * 0.3
            let b: Double = cos(d * d * 0.001) * 0.2
            return Float(a + b)
        }
        let timeEnergy: Double = x.reduce(0.0) { $0 + Double($1) * Double($1) }
        let (re, im) = FFT(size: n).forward(x)
        // Σ|x|² = (1/N)(|X0|² + 2Σ_{0<k<N/2}|Xk|² + |X_{N/2}|²)
        var spectral = 0.0
        for k in 0...(n / 2) {
            let r = Double(re[k]), i = Double(im[k])
            let p: Double = r * r + i * i
            spectral += (k == 0 || k == n / 2) ? p : 2 * p
        }
        XCTAssertEqual(spectral / Double(n), timeEnergy, accuracy: timeEnergy * 1e-5)
    }
}
