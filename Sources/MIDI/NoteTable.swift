import Media

/// A CSV note list with the header `onset_s,offset_s,midi_pitch,velocity` (the ground-truth and
/// transcription format of ../shared/audio): one row per note, times in seconds.
public struct NoteTable: Sendable, Hashable {
    // MARK: Constants

    /// The column names, in order, of the first line.
    public static let columns = ["onset_s", "offset_s", "midi_pitch", "velocity"]
    /// The header line.
    public static let header = columns.joined(separator: ",")
    /// The largest table `read` accepts (64 MiB).
    public static let maxFileBytes = 64 << 20

    // MARK: Properties

    /// The notes, in row order (channel, program and track are 0 when read from a table).
    public var notes: [NoteEvent]

    // MARK: Init

    /// Creates a table holding `notes`.
    public init(notes: [NoteEvent]) {
        self.notes = notes
    }

    // MARK: Reading

    /// Reads a note table from a CSV file.
    public static func read(_ path: String) throws -> NoteTable {
        let bytes = try FileAccess.readBytes(path, maxBytes: maxFileBytes)
        return try decode(String(decoding: bytes, as: UTF8.self), source: path)
    }

    /// Reads the notes of either a MIDI file (recognised by its 'MThd' magic) or a note CSV,
    /// so reference and estimate can come in either format.
    public static func readNotes(_ path: String) throws -> [NoteEvent] {
        let bytes = try FileAccess.readBytes(path, maxBytes: max(maxFileBytes, MIDIFile.maxFileBytes))
        if bytes.starts(with: Array("MThd".utf8)) { return try MIDIFile.decode(bytes, source: path).notes }
        guard bytes.count <= maxFileBytes else {
            throw MediaError.tooLarge(path: path, detail: "\(bytes.count) bytes (limit \(maxFileBytes) for a note CSV)")
        }
        return try decode(String(decoding: bytes, as: UTF8.self), source: path).notes
    }

    /// Parses CSV text; `source` names the file in errors. Blank lines are skipped, CRLF and a BOM
    /// are accepted, extra columns are ignored; velocities are rounded and clamped to 1–127.
    public static func decode(_ text: String, source: String = "<memory>") throws -> NoteTable {
        func corrupt(_ line: Int, _ detail: String) -> MediaError {
            .corrupt(path: source, format: "note CSV", detail: "line \(line): \(detail)")
        }
        var notes: [NoteEvent] = []
        var sawHeader = false
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        for (offset, rawLine) in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNumber = offset + 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingSpaces() }
            if !sawHeader {
                guard fields.count >= columns.count, Array(fields.prefix(columns.count)) == columns else {
                    throw corrupt(lineNumber, "expected the header '\(header)', found '\(line.prefix(80))'")
                }
                sawHeader = true
                continue
            }
            guard fields.count >= columns.count else {
                throw corrupt(lineNumber, "expected \(columns.count) comma-separated values, found \(fields.count)")
            }
            var values: [Double] = []
            for (index, field) in fields.prefix(columns.count).enumerated() {
                guard let value = Double(field), value.isFinite else {
                    throw corrupt(lineNumber, "\(columns[index]) '\(field.prefix(40))' is not a number")
                }
                values.append(value)
            }
            let (onset, offset, pitchValue, velocityValue) = (values[0], values[1], values[2], values[3])
            guard onset >= 0 else { throw corrupt(lineNumber, "onset \(onset) s is negative") }
            guard offset >= onset else { throw corrupt(lineNumber, "offset \(offset) s is before onset \(onset) s") }
            let pitch = pitchValue.rounded()
            guard abs(pitch - pitchValue) < 1e-6, (0...127).contains(pitch) else {
                throw corrupt(lineNumber, "midi_pitch \(pitchValue) is not a whole number in 0–127")
            }
            guard (0...127.5).contains(velocityValue) else {
                throw corrupt(lineNumber, "velocity \(velocityValue) is outside 0–127")
            }
            let velocity = min(max(Int(velocityValue.rounded()), 1), 127)
            notes.append(NoteEvent(pitch: Int(pitch), start: onset, end: offset, velocity: velocity))
        }
        guard sawHeader else {
            throw MediaError.corrupt(path: source, format: "note CSV", detail: "the file is empty (expected the header '\(header)')")
        }
        return NoteTable(notes: notes)
    }

    // MARK: Writing

    /// CSV text: the header, then one row per note in `onsetOrder`, times with `decimals` decimals.
    public func encode(decimals: Int = 6) -> String {
        var out = Self.header + "\n"
        for note in notes.sorted(by: NoteEvent.onsetOrder) {
            out += Self.fixed(note.start, decimals) + "," + Self.fixed(note.end, decimals)
                + ",\(note.pitch),\(note.velocity)\n"
        }
        return out
    }

    /// Writes the CSV atomically to `path`.
    public func write(to path: String, decimals: Int = 6) throws {
        try AtomicFile.write(Array(encode(decimals: decimals).utf8), to: path)
    }

    // MARK: Formatting

    /// `value` with exactly `decimals` digits after the point (plain description if out of range).
    static func fixed(_ value: Double, _ decimals: Int) -> String {
        let digits = max(0, min(decimals, 12))
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * Double(scale)).rounded()
        guard value.isFinite, scaled < 9e15 else { return "\(value)" }
        let whole = Int(scaled)
        let sign = value < 0 && whole != 0 ? "-" : ""
        guard digits > 0 else { return sign + String(whole) }
        let fraction = String(whole % scale)
        return sign + String(whole / scale) + "." + String(repeating: "0", count: digits - fraction.count) + fraction
    }
}

// MARK: - Helpers

extension Substring {
    /// The text without leading and trailing spaces and tabs.
    fileprivate func trimmingSpaces() -> String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}
