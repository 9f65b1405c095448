import Foundation
import Models

/// Keyboard editing of typed model parameters: stepping numbers, cycling choices, display text.
public enum ParameterEditing {
    /// The text a form shows for `value` (doubles without float noise).
    public static func text(_ value: ParameterValue) -> String {
        switch value {
        case .double(let d):
            var s = String(format: "%.6g", d)
            if !s.contains(".") && !s.contains("e") { s += ".0" }
            return s
        default:
            return value.description
        }
    }

    /// The step ←/→ changes a number by: a tenth of the range's order of magnitude (1 for ints).
    public static func step(for parameter: ModelParameter) -> Double {
        switch parameter.kind {
        case .int: return 1
        case .double(let range):
            let span = range.upperBound - range.lowerBound
            guard span.isFinite, span > 0 else { return 0.1 }
            return pow(10, floor(log10(span)) - 1)
        default: return 0
        }
    }

    /// `value` moved `delta` steps (clamped to the range), a choice cycled, a bool flipped;
    /// nil for kinds that cannot be stepped (text, paths).
    public static func adjusted(_ value: ParameterValue, of parameter: ModelParameter, by delta: Int) -> ParameterValue? {
        switch (parameter.kind, value) {
        case (.int(let range), .int(let v)):
            return .int(min(max(v + delta, range.lowerBound), range.upperBound))
        case (.double(let range), _):
            let current: Double
            switch value {
            case .double(let d): current = d
            case .int(let i): current = Double(i)
            default: return nil
            }
            let step = step(for: parameter)
            var next = (current / step).rounded() * step + Double(delta) * step
            next = (next / step).rounded() * step
            // Trim float noise such as 0.30000000000000004.
            next = Double(String(format: "%.10g", next)) ?? next
            return .double(min(max(next, range.lowerBound), range.upperBound))
        case (.bool, .bool(let b)):
            return .bool(!b)
        case (.choice(let choices), .string(let s)):
            guard !choices.isEmpty else { return nil }
            let i = choices.firstIndex(of: s) ?? 0
            let n = choices.count
            return .string(choices[((i + delta) % n + n) % n])
        default:
            return nil
        }
    }

    /// A one-line description of what the parameter accepts.
    public static func rangeText(_ parameter: ModelParameter) -> String {
        switch parameter.kind {
        case .int(let r): return "\(r.lowerBound)…\(r.upperBound)"
        case .double(let r): return "\(text(.double(r.lowerBound)))…\(text(.double(r.upperBound)))"
        case .bool: return "yes/no"
        case .choice(let c):
            let all = c.joined(separator: "|")
            return all.count <= 24 ? all : "\(c.count) choices ←→"
        case .text: return "text"
        case .path(let kind): return "\(kind) file"
        }
    }
}
