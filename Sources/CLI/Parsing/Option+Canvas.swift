import Canvas
import Foundation

extension Option where Value == Vec2 {
    /// An `X,Y` pair of finite numbers, with a default.
    public init(_ long: String, point fallback: Vec2, help: String) {
        let spec = OptionSpec(long, value: "X,Y", help: help,
                              defaultText: "\(OptionValue.format(fallback.x)),\(OptionValue.format(fallback.y))")
        self = .single(spec, fallback: fallback) { text in
            let parts = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 2, let x = parts[0], let y = parts[1], x.isFinite, y.isFinite else {
                throw UsageError("--\(long) expects X,Y like 0.5,0.5, got '\(text)'")
            }
            return Vec2(x: x, y: y)
        }
    }
}

extension Option where Value == Double {
    /// Any finite number, with a default.
    public init(_ long: String, short: Character? = nil, value: String = "X", default fallback: Double, help: String) {
        let name = "--" + long
        let spec = OptionSpec(long, short: short, value: value, help: help, defaultText: OptionValue.format(fallback))
        self = .single(spec, fallback: fallback) { try OptionValue.number($0, name: name, in: nil) }
    }
}
