import Foundation

/// Where to get a dataset that cannot be downloaded automatically, and how to place it.
public struct ManualInstructions: Sendable, Codable, Equatable {
    /// Where to request or download it (a URL or a short description).
    public var source: String
    /// Why it is manual (licence agreement, registration, no stable URL).
    public var reason: String
    /// The steps to follow, in order.
    public var steps: [String]

    /// Instructions from their parts.
    public init(source: String, reason: String, steps: [String]) {
        self.source = source; self.reason = reason; self.steps = steps
    }

    /// The instructions as printable text, with `{data}` replaced by the dataset's data folder.
    public func text(dataFolder: String) -> String {
        var lines = ["Get it from: \(source)", "Why manual: \(reason)"]
        for (index, step) in steps.enumerated() {
            lines.append("  \(index + 1). " + step.replacingOccurrences(of: "{data}", with: dataFolder))
        }
        return lines.joined(separator: "\n")
    }
}
