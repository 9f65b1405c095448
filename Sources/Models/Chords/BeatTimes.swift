import Foundation

/// Beat times from a text file: the first number on each line (`time_s<TAB>beat_in_bar` as madmom,
/// BeatNet and `mlwb beats` write them, a plain list of times, or CSV); blank lines, `#` comments and a
/// header line are skipped.
public enum BeatTimes {
    /// The beat times in `path`, sorted; an error names the line that is not a time.
    public static func read(_ path: String) throws -> [Double] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw EvaluationFileError(path: path, line: nil, reason: "cannot be read as a text file of beat times")
        }
        return try parse(text, path: path)
    }

    /// Parses beat-time text; `path` names the source in errors.
    public static func parse(_ text: String, path: String = "<text>") throws -> [Double] {
        var times: [Double] = []
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let first = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).first.map(String.init) ?? ""
            guard let time = Double(first), time.isFinite, time >= 0 else {
                if times.isEmpty && number == 0 { continue }   // a header
                throw EvaluationFileError(path: path, line: number + 1, reason: "expected a beat time in seconds, got '\(first)'")
            }
            times.append(time)
        }
        return times.sorted()
    }
}
