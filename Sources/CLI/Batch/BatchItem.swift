/// One input of a batch run: the file to read and its path relative to the input it came from, which
/// names it in the manifest, mirrors it under `--out` and decides its shard.
struct BatchItem: Sendable, Equatable {
    /// The file to read (as given, or under the folder or dataset it was found in).
    var source: String
    /// The path relative to its input root, with `/` separators (`beats/waltz.wav`; a file given alone: its name).
    var key: String
}
