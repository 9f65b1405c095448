import XCTest
@testable import Engine

/// The fused single-channel conv1d + activation + max pool against the separate engine ops.
final class ConvPool1DTests: XCTestCase {
    /// Equals conv2d (as 1×K over 1×width images) → activation → 1×window max pooling, for odd widths and tails.
    func testMatchesConvThenPool() throws {
        for (width, k, window, channels) in [(272, 10, 2, 2), (37, 3, 3, 4), (9, 9, 1, 1), (20, 5, 4, 3)] {
            let x = Tensor.uniform([5, width], in: -1...1, seed: UInt64(width))
            let w = Tensor.uniform([channels, 1, k], in: -0.5...0.5, seed: 7), b = Tensor.uniform([channels], in: -0.2...0.2, seed: 8)
            for activation in [Activation.identity, .relu, .tanh] {
                let fused = ConvPool1D.forward(x, weight: w, bias: b, activation: activation, window: window)
                let conv = Conv2D.forward(x.reshaped([5, 1, 1, width]), weight: w.reshaped([channels, 1, 1, k]), bias: b,
                                          params: Conv2DParameters(stride: 1, padding: 0), activation: activation)
                let pooled = Pool2D.maxForward(conv, Pool2DParameters(kernel: (1, window), stride: (1, window)))
                XCTAssertEqual(fused.shape, [5, channels, (width - k + 1) / window])
                assertClose(fused, pooled.reshaped(fused.shape), atol: 1e-6, rtol: 1e-6, "width \(width) k \(k) window \(window) \(activation)")
            }
        }
        XCTAssertEqual(ConvPool1D.forward(Tensor.zeros([3, 4]), weight: .zeros([2, 1, 5]), bias: nil, activation: .relu, window: 2).shape, [3, 2, 0])
    }
}
