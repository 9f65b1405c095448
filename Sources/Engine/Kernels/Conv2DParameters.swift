// MARK: - Convolution geometry

/// Stride, padding, dilation and groups of a 2-D convolution (PyTorch / ONNX semantics).
public struct Conv2DParameters: Sendable, Hashable {
    /// Vertical and horizontal stride.
    public var strideH: Int, strideW: Int
    /// Zero padding above, to the left, below and to the right.
    public var padTop: Int, padLeft: Int, padBottom: Int, padRight: Int
    /// Vertical and horizontal dilation.
    public var dilationH: Int, dilationW: Int
    /// Number of channel groups (groups == channels is a depthwise convolution).
    public var groups: Int

    /// Symmetric parameters as torch.nn.Conv2d takes them.
    public init(stride: Int = 1, padding: Int = 0, dilation: Int = 1, groups: Int = 1) {
        self.init(stride: (stride, stride), padding: (padding, padding), dilation: (dilation, dilation), groups: groups)
    }

    /// Per-axis parameters (height, width); padding is applied on both sides of each axis.
    public init(stride: (Int, Int), padding: (Int, Int), dilation: (Int, Int) = (1, 1), groups: Int = 1) {
        self.init(strideH: stride.0, strideW: stride.1, padTop: padding.0, padLeft: padding.1,
                  padBottom: padding.0, padRight: padding.1, dilationH: dilation.0, dilationW: dilation.1, groups: groups)
    }

    /// Fully explicit parameters, including asymmetric padding (ONNX `pads`).
    public init(strideH: Int, strideW: Int, padTop: Int, padLeft: Int, padBottom: Int, padRight: Int,
                dilationH: Int = 1, dilationW: Int = 1, groups: Int = 1) {
        precondition(strideH > 0 && strideW > 0 && dilationH > 0 && dilationW > 0 && groups > 0)
        precondition(padTop >= 0 && padLeft >= 0 && padBottom >= 0 && padRight >= 0)
        self.strideH = strideH; self.strideW = strideW
        self.padTop = padTop; self.padLeft = padLeft; self.padBottom = padBottom; self.padRight = padRight
        self.dilationH = dilationH; self.dilationW = dilationW
        self.groups = groups
    }

    /// Output height and width for an input of `height`×`width` and a `kh`×`kw` kernel.
    public func outputSize(height: Int, width: Int, kh: Int, kw: Int) -> (Int, Int) {
        let ho = (height + padTop + padBottom - dilationH * (kh - 1) - 1) / strideH + 1
        let wo = (width + padLeft + padRight - dilationW * (kw - 1) - 1) / strideW + 1
        return (ho, wo)
    }
}
