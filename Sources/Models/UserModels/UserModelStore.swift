import Foundation
import Media

// MARK: - The user model folder

/// `${MLWB_HOME}/models/`: a user's ONNX models, each `ID.onnx` with an optional `ID.mlwb.json` (task, name, sizes)
/// and `ID.labels.txt` (class names). A bare `.onnx` dropped into the folder joins too when its shapes make the task
/// unambiguous; otherwise it is reported as skipped with a hint to add it with `mlwb models add`.
public struct UserModelStore: Sendable {
    /// The folder.
    public let directory: String
    /// Ids that user models may not take (the built-in models').
    public var reservedIDs: Set<String>

    /// One `.onnx` file in the folder: the model if it is usable, else why not.
    public struct Entry: Sendable {
        public var id: String
        public var path: String
        public var model: UserONNXModel?
        public var problem: String?
    }

    public init(directory: String, reservedIDs: Set<String> = []) {
        self.directory = DataHome.trimmed(directory)
        self.reservedIDs = reservedIDs
    }

    /// The store under `DataHome.root(environment:)`; built-in model ids are reserved.
    public init(environment: [String: String]) {
        self.init(directory: DataHome.root(environment: environment) + "/models",
                  reservedIDs: Set(ModelRegistry.standard.models.map(\.id)))
    }

    /// Where model `id` lives.
    public func modelPath(_ id: String) -> String { directory + "/" + id + ".onnx" }
    public func sidecarPath(_ id: String) -> String { directory + "/" + id + ".mlwb.json" }
    public func labelsPath(_ id: String) -> String { directory + "/" + id + ".labels.txt" }

    // MARK: Listing

    /// Every `.onnx` file in the folder, sorted by id, each loaded and checked (problems are recorded, not thrown).
    public func list() -> [Entry] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.lowercased().hasSuffix(".onnx") && !$0.hasPrefix(".") }.sorted().map { file in
            let id = UserONNXModel.stem(of: file)
            let path = directory + "/" + file
            do {
                return Entry(id: id, path: path, model: try load(id: id, path: path), problem: nil)
            } catch {
                return Entry(id: id, path: path, model: nil, problem: String(describing: error))
            }
        }
    }

    /// The usable models, and a message for every file that was skipped.
    public func scan() -> (models: [UserONNXModel], skipped: [String]) {
        var models: [UserONNXModel] = [], skipped: [String] = []
        for entry in list() {
            if let m = entry.model { models.append(m) } else {
                skipped.append("user model '\(entry.id)' (\(entry.path)) skipped: \(entry.problem ?? "unusable")")
            }
        }
        return (models, skipped)
    }

    /// The user model `id`, or an error listing the ones there are.
    public func model(_ id: String) throws -> UserONNXModel {
        let entries = list()
        guard let entry = entries.first(where: { $0.id == id }) else {
            throw UserModelError.notFound(id: id, available: entries.map(\.id))
        }
        if let model = entry.model { return model }
        return try load(id: id, path: entry.path)
    }

    private func load(id: String, path: String) throws -> UserONNXModel {
        if reservedIDs.contains(id) { throw UserModelError.reservedID(id) }
        let sidecar = sidecarPath(id)
        if FileManager.default.fileExists(atPath: sidecar) {
            return try UserONNXModel(path: path, spec: try UserModelSpec.read(sidecar), id: id)
        }
        let onnx = try UserONNXModel.loadONNX(path)
        guard let task = UserONNXModel.inferTask(onnx) else {
            throw UserModelError.badSidecar(path: sidecar, reason: "missing, and the task cannot be told from the model's shapes; "
                + "add the model with 'mlwb models add FILE.onnx --task TASK'")
        }
        let spec = UserModelSpec(task: task)
        return UserONNXModel(path: path, spec: spec, task: task,
                             io: try UserONNXModel.check(onnx, task: task, spec: spec, deep: false), id: id)
    }

    // MARK: Adding and removing

    /// Checks `path` (a loadable ONNX model whose shapes fit `task`, every op lowered when its input is static),
    /// copies it atomically to `ID.onnx` (ID from `name`, else the file name), copies `FILE.labels.txt` next to it
    /// if there is one, and writes the sidecar last. `spec` adds optional sizes; its task is replaced by `task`.
    @discardableResult
    public func add(_ path: String, task: ModelTask, name: String? = nil, spec extra: UserModelSpec? = nil) throws -> UserONNXModel {
        guard UserONNXModel.supportedTasks.contains(task) else { throw UserModelError.unknownTask(task.rawValue) }
        let onnx = try UserONNXModel.loadONNX(path)
        var spec = extra ?? UserModelSpec(task: task)
        spec.task = task.rawValue
        if let name { spec.name = name }
        let io = try UserONNXModel.check(onnx, task: task, spec: spec, deep: true)
        let id = try Self.identifier(name ?? UserONNXModel.stem(of: path))
        if reservedIDs.contains(id) { throw UserModelError.reservedID(id) }
        let target = modelPath(id)
        if FileManager.default.fileExists(atPath: target) { throw UserModelError.alreadyExists(id: id, path: target) }

        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw MediaError.writeFailed(path: directory, reason: "cannot create the models folder (\(error.localizedDescription))")
        }
        // The sidecar first (an .onnx never appears without its task), then labels, then the model itself.
        try AtomicFile.write(try spec.encoded(), to: sidecarPath(id))
        let labels = UserONNXModel.sidecarBase(of: path) + ".labels.txt"
        do {
            if FileManager.default.fileExists(atPath: labels) {
                try AtomicFile.write(to: labelsPath(id)) { try FileManager.default.copyItem(atPath: labels, toPath: $0) }
            }
            try AtomicFile.write(to: target) { try FileManager.default.copyItem(atPath: path, toPath: $0) }
        } catch {
            try? FileManager.default.removeItem(atPath: sidecarPath(id))
            try? FileManager.default.removeItem(atPath: labelsPath(id))
            throw error
        }
        return UserONNXModel(path: target, spec: spec, task: task, io: io, id: id)
    }

    /// Removes model `id` and its sidecars.
    public func remove(_ id: String) throws {
        let path = modelPath(id)
        guard !id.contains("/"), FileManager.default.fileExists(atPath: path) else {
            throw UserModelError.notFound(id: id, available: list().map(\.id))
        }
        try FileManager.default.removeItem(atPath: path)
        for extra in [sidecarPath(id), labelsPath(id)] where FileManager.default.fileExists(atPath: extra) {
            try FileManager.default.removeItem(atPath: extra)
        }
    }

    /// A file-safe id: letters, digits, '-', '_' and '.' (spaces become '-'), not starting with '.'.
    public static func identifier(_ name: String) throws -> String {
        let trimmed = name.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: " ", with: "-")
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        guard !trimmed.isEmpty, !trimmed.hasPrefix("."), trimmed.count <= 100, trimmed.allSatisfy(allowed.contains) else {
            throw UserModelError.invalidID(name)
        }
        return trimmed
    }
}

// MARK: - Registry

extension ModelRegistry {
    /// This registry plus every usable model in `${MLWB_HOME}/models`; each skipped file is reported to `log`.
    public func withUserModels(environment: [String: String], log: (String) -> Void = { _ in }) -> ModelRegistry {
        var registry = self
        var store = UserModelStore(environment: environment)
        store.reservedIDs = Set(models.map(\.id))
        let (found, skipped) = store.scan()
        for model in found { registry.register(model) }
        skipped.forEach(log)
        return registry
    }
}
