// MARK: - Forward pass record

/// The result of `Executor.forward`: requested values plus whatever the backward pass will need.
public struct ForwardPass: Sendable {
    /// Values still held, indexed by node (nil once freed or never computed).
    var values: [Tensor?]
    /// Shape of every computed value (kept after the value itself is freed).
    var shapes: [[Int]?]
    /// Requested values by name.
    public let requested: [String: ValueID]
    /// Whether the pass kept what `Executor.backward` needs.
    public let recordedForBackward: Bool

    /// The requested (or retained) value called `name`.
    public subscript(name: String) -> Tensor? {
        guard let id = requested[name] else { return nil }
        return values[id.index]
    }

    /// The value `id` if it is still held.
    public func value(_ id: ValueID) -> Tensor? { values[id.index] }

    /// The shape of value `id` if it was computed.
    public func shape(of id: ValueID) -> [Int]? { shapes[id.index] }

    /// Bytes currently held by retained values.
    public var retainedBytes: Int { values.reduce(0) { $0 + ($1?.count ?? 0) * 4 } }
}
