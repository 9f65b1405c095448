// MARK: - Arithmetic conveniences

extension Tensor {
    /// Elementwise sum with broadcasting.
    public static func + (a: Tensor, b: Tensor) -> Tensor { Elementwise.forward(.add, a, b) }
    /// Elementwise difference with broadcasting.
    public static func - (a: Tensor, b: Tensor) -> Tensor { Elementwise.forward(.sub, a, b) }
    /// Elementwise product with broadcasting.
    public static func * (a: Tensor, b: Tensor) -> Tensor { Elementwise.forward(.mul, a, b) }
    /// Every scalar times `s`.
    public static func * (s: Float, a: Tensor) -> Tensor { Elementwise.forward(.mul, a, .scalar(s)) }
    /// Every scalar times `s`.
    public static func * (a: Tensor, s: Float) -> Tensor { Elementwise.forward(.mul, a, .scalar(s)) }

    /// Σ of all scalars (accumulated in Double).
    public func sum() -> Float { Reduce.forward(.sum, self).ptr[0] }
    /// Mean of all scalars.
    public func mean() -> Float { Reduce.forward(.mean, self).ptr[0] }
    /// Σ x² (accumulated in Double), the DeepDream objective of a whole layer.
    public func sumOfSquares() -> Float {
        withUnsafeBufferPointer { p in
            var acc: Double = 0, i = 0
            while i < p.count {
                let end = Swift.min(i + 4096, p.count)
                var s: Float = 0
                for j in i..<end { s += p[j] * p[j] }
                acc += Double(s); i = end
            }
            return Float(acc)
        }
    }
    /// Largest absolute scalar (0 for an empty tensor).
    public func maxAbs() -> Float { withUnsafeBufferPointer { p in p.reduce(0) { Swift.max($0, abs($1)) } } }
}
