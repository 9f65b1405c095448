import Checkpoints
import Foundation
import Media
import Models
import Remote
import Render
import TestSupport
import XCTest
@testable import TUI

/// A model for tests: emits `frames` small frames (each a different grey), then finishes;
/// honours cancellation between frames.
struct FakeDreamModel: Model {
    var id = "deepdream"
    var name = "Fake Dream"
    var task = ModelTask.imageToImage
    var summary = "A test model that paints frames of changing grey."
    var checkpointIDs: [String] = []
    var frames = 5
    var delay: Double = 0.01
    var parameters: [ModelParameter] = [
        ModelParameter("layer", label: "Layer", kind: .choice(["a", "b", "c"]), default: .string("b"), help: "which layer"),
        ModelParameter("steps", label: "Steps", kind: .int(0...50), default: .int(10), help: "steps per octave"),
        ModelParameter("step-size", label: "Step size", kind: .double(0.0...2.0), default: .double(0.5), help: "size"),
        ModelParameter("normalize", label: "Normalise", kind: .bool, default: .bool(true), help: "normalise"),
        ModelParameter("mask", label: "Mask", kind: .path("mask"), default: .string(""), help: "mask file"),
        ModelParameter("start", label: "Start", kind: .choice(["image", "noise"]), default: .string("image"), help: "start"),
    ]

    func run(_ input: ModelInput, parameters: ModelParameters, context: ModelContext) -> AsyncStream<ModelEvent> {
        let frames = self.frames, delay = self.delay
        return AsyncStream { continuation in
            let task = Task.detached {
                for i in 0..<frames {
                    if Task.isCancelled { break }
                    // A grey frame with a coloured square that grows: later frames change only some cells.
                    let side = 2 + i % 14
                    let frame = Image(width: 16, height: 16) { x, y in
                        x < side && y < side ? SIMD4(0.9, 0.3, 0.1, 1) : SIMD4(0.5, 0.5, 0.5, 1)
                    }
                    continuation.yield(.progress(fraction: Double(i) / Double(frames), status: "octave 1/1 · step \(i + 1)/\(frames)"))
                    continuation.yield(.frame(frame, label: "step \(i + 1)"))
                    try? await Task.sleep(nanoseconds: UInt64(delay * 1e9))
                }
                if !Task.isCancelled {
                    continuation.yield(.finished(.image(Image(width: 16, height: 16, fill: [1, 1, 1]))))
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}

/// A transfer service that records calls and lets the test report events.
final class RecordingTransfers: TransferService, @unchecked Sendable {
    private let lock = NSLock()
    private var _started: [String] = []
    private var _stopped: [(String, Bool)] = []
    var started: [String] { lock.withLock { _started } }
    var stopped: [(String, Bool)] { lock.withLock { _stopped } }

    func start(kind: TransferKind, itemID: String, report: @escaping @Sendable (TransferEvent) -> Void) async {
        lock.withLock { _started.append(kind.rawValue + ":" + itemID) }
        report(.progress(bytes: 10, total: 100))
    }

    func stop(kind: TransferKind, itemID: String, keepPartial: Bool) {
        lock.withLock { _stopped.append((kind.rawValue + ":" + itemID, keepPartial)) }
    }
}

struct FakeDatasets: DatasetService {
    func list() -> [DatasetRow] {
        [DatasetRow(id: "maestro", name: "MAESTRO", bytes: 100 << 20, state: .absent, licence: "CC-BY-NC-SA-4.0"),
         DatasetRow(id: "musicnet", name: "MusicNet", bytes: nil, state: .verified),
         DatasetRow(id: "maps", name: "MAPS", bytes: nil, state: .manual("register at the MAPS site"))]
    }
    func verify(_ id: String) async -> DatasetState { id == "musicnet" ? .verified : .failed("2 missing") }
}

enum Fixture {
    /// Folders made by `core`, removed by `cleanUp()` (called from each test class's tearDown).
    nonisolated(unsafe) static var scratch: [TemporaryDirectory] = []

    static func cleanUp() {
        for dir in scratch { dir.remove() }
        scratch.removeAll()
    }

    /// The package's assets folder.
    static var assets: String { SharedData.packageRoot + "/assets" }
    static var themes: String { SharedData.packageRoot + "/themes" }

    /// A checkpoint store in a temporary folder with one entry (absent unless `present`).
    static func store(in dir: TemporaryDirectory, present: Bool) throws -> CheckpointStore {
        let payload = [UInt8](repeating: 7, count: 1000)
        let file = dir.file("weights.bin")
        _ = FileManager.default.createFile(atPath: file, contents: Data(payload))
        let sha = try StreamingDigest.hex(file: file)
        let entry = CheckpointEntry(id: "fake_ckpt", name: "Fake weights", file: "fake.safetensors", url: "http://127.0.0.1:1/fake",
                                    size: 1000, sha256: sha, licence: "CC0", model: "deepdream", format: "safetensors")
        let store = CheckpointStore(root: dir.file("home"), catalog: try CheckpointCatalog(entries: [entry]))
        if present { try store.importFile(file, id: "fake_ckpt") }
        return store
    }

    /// A core over a memory screen with the fake model (and optionally a checkpoint it needs).
    static func core(columns: Int = 120, rows: Int = 36, model: FakeDreamModel = FakeDreamModel(), store: CheckpointStore? = nil,
                     transfers: (any TransferService)? = RecordingTransfers(), directory: String = ".",
                     themes: ThemeLibrary = ThemeLibrary.load(directories: [Fixture.themes]),
                     commandRunner: CommandRunner? = nil, themeName: String? = nil,
                     pixels: PixelRenderer? = nil) throws -> (WorkbenchCore, MemoryScreen) {
        let dir = try TemporaryDirectory(prefix: "mlwb-tui")
        scratch.append(dir)
        let usedStore = try store ?? Self.store(in: dir, present: true)
        let services = WorkbenchServices(registry: ModelRegistry(models: [model]), store: usedStore, transfers: transfers,
                                         datasets: FakeDatasets(), commandRunner: commandRunner,
                                         environment: ["MLWB_HOME": dir.file("mlwb-home")])
        let core = WorkbenchCore(size: TerminalSize(columns: columns, rows: rows), services: services, themes: themes,
                                 themeName: themeName, directory: directory, assetsDirectory: Fixture.assets, pixels: pixels)
        let screen = MemoryScreen(columns: columns, rows: rows)
        core.start()
        core.waitUntil { !$0.media.loading }
        core.render(on: screen)
        return (core, screen)
    }
}

extension WorkbenchCore {
    /// Presses keys in order.
    func press(_ keys: Key...) { for k in keys { handle(k) } }
    func type(_ text: String) { for k in Key.typing(text) { handle(k) } }
}
