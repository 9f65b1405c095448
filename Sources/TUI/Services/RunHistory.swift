import Foundation
import Media

/// One past run as its folder's `run.json` records it.
public struct RunRecord: Codable, Equatable, Sendable {
    /// The run's folder under the history root (its name: time, model, run number).
    public var folder: String
    public var runID: Int
    public var modelID: String
    public var modelName: String
    public var input: String?
    /// Parameter values as the form shows them (`:set NAME TEXT` takes them back).
    public var parameters: [String: String]
    /// Wall-clock start (seconds since 1970).
    public var started: Double
    /// How it ended ("finished: image 512×384", "stopped", …); nil while it runs.
    public var outcome: String?
    /// The frame numbers kept on disk, in order.
    public var frames: [Int]

    public init(folder: String = "", runID: Int, modelID: String, modelName: String, input: String?,
                parameters: [String: String], started: Double, outcome: String? = nil, frames: [Int] = []) {
        self.folder = folder; self.runID = runID; self.modelID = modelID; self.modelName = modelName; self.input = input
        self.parameters = parameters; self.started = started; self.outcome = outcome; self.frames = frames
    }
}

/// Past runs on disk (`MLWB_HOME/history/<time>-<model>-run<N>/`: `run.json` and `frame-NNNNN.png`).
///
/// Bounded: the newest `maximumRuns` folders are kept, and the reducer records at most
/// `maximumFrames` frames a run. Every write and read happens in order on one serial queue, so
/// a frame asked for right after it was recorded is there; PNG files are written atomically.
public final class RunHistory: @unchecked Sendable {
    // MARK: State

    public static let maximumRuns = 30
    public static let maximumFrames = 240

    /// The folder holding one folder per run.
    public let root: String
    private let queue = DispatchQueue(label: "mlwb.run-history", qos: .utility)
    /// This session's runs: run id → folder path (touched on `queue` only).
    private var folders: [Int: String] = [:]
    private var records: [Int: RunRecord] = [:]

    public init(root: String) { self.root = root }

    // MARK: Writing

    /// Starts a run's folder and record (and removes the oldest folders beyond the bound).
    public func begin(_ record: RunRecord, report: @escaping @Sendable (String) -> Void) {
        queue.async { [self] in
            do {
                let name = Self.folderName(record)
                let path = root + "/" + name
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
                var stored = record
                stored.folder = name
                folders[record.runID] = path
                records[record.runID] = stored
                try write(stored, to: path)
                prune()
            } catch {
                report("run history: cannot write under \(root): \(error)")
            }
        }
    }

    /// Keeps frame `number` of run `runID`.
    public func record(runID: Int, frame number: Int, picture: Image) {
        queue.async { [self] in
            guard let path = folders[runID] else { return }
            try? PNGCodec.save(picture, to: path + "/" + Self.frameName(number))
            if records[runID]?.frames.last != number { records[runID]?.frames.append(number) }  // the final picture replaces the last frame
        }
    }

    /// Notes how the run ended.
    public func finish(runID: Int, outcome: String) {
        queue.async { [self] in
            guard let path = folders[runID], var record = records[runID] else { return }
            record.outcome = outcome
            records[runID] = record
            try? write(record, to: path)
        }
    }

    // MARK: Reading

    /// Loads frame `number` of run `runID` (after every write asked for before).
    public func frame(runID: Int, number: Int, _ done: @escaping @Sendable (Result<Image, Error>) -> Void) {
        queue.async { [self] in
            guard let path = folders[runID] else { return done(.failure(HistoryError.noRun(runID))) }
            done(Result { try PNGCodec.load(path + "/" + Self.frameName(number)) })
        }
    }

    /// Every run on disk, newest first (unreadable folders are skipped).
    public func list(_ done: @escaping @Sendable ([RunRecord]) -> Void) {
        queue.async { [self] in done(readAll()) }
    }

    /// Every run on disk, newest first (call off the main thread).
    func readAll() -> [RunRecord] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        var out: [RunRecord] = []
        for name in names.sorted(by: >) {
            guard let data = FileManager.default.contents(atPath: root + "/" + name + "/run.json"),
                  var record = try? JSONDecoder().decode(RunRecord.self, from: data) else { continue }
            record.folder = name
            out.append(record)
        }
        return out.sorted { $0.started > $1.started }
    }

    // MARK: Files

    private func write(_ record: RunRecord, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicFile.write(Array(try encoder.encode(record)), to: path + "/run.json")
    }

    /// Removes the oldest run folders beyond `maximumRuns` (never one of this session's).
    private func prune() {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
        guard names.count > Self.maximumRuns else { return }
        let current = Set(folders.values.map { ($0 as NSString).lastPathComponent })
        for name in names.prefix(names.count - Self.maximumRuns) where !current.contains(name) {
            try? FileManager.default.removeItem(atPath: root + "/" + name)
        }
    }

    /// `20261207-231805-deepdream-run3`: sorts by time.
    static func folderName(_ record: RunRecord) -> String {
        var seconds = time_t(record.started.rounded(.down))
        var t = tm()
        localtime_r(&seconds, &t)
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec)
        let model = record.modelID.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" }
        return "\(stamp)-\(String(model))-run\(record.runID)"
    }

    static func frameName(_ number: Int) -> String { String(format: "frame-%05d.png", number) }

    /// Why a frame could not be read back.
    public enum HistoryError: Error, CustomStringConvertible {
        case noRun(Int)
        public var description: String {
            switch self {
            case .noRun(let id): return "run \(id) kept no frames"
            }
        }
    }
}
