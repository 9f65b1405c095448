/// One kind of file a batch command writes per item: its name on the command line (`mid`) and the suffix
/// that replaces the input's extension (`.mid`, `.notes.csv`).
struct BatchFormat: Sendable, Equatable {
    var name: String
    var suffix: String

    init(_ name: String, suffix: String) { self.name = name; self.suffix = suffix }
}
