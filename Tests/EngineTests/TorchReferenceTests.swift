import XCTest
@testable import Engine

/// Compares the convolution kernels with tensors produced by PyTorch 2.x (see Fixtures/TorchConvReference.swift).
final class TorchReferenceTests: XCTestCase {
    func testConvForwardAndInputGradientMatchTorch() {
        for c in TorchConvReference.cases {
            let y = Conv2D.forward(c.x, weight: c.weight, bias: c.bias, params: c.params)
            assertClose(y, c.output, atol: 1e-5, rtol: 1e-5, "\(c.name) forward")
            let dx = Conv2D.backwardInput(c.grad, weight: c.weight, inputShape: c.x.shape, params: c.params)
            assertClose(dx, c.inputGradient, atol: 1e-5, rtol: 1e-5, "\(c.name) input gradient")
        }
    }
}
